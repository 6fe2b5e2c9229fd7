# readiness fixture: secrets baked into a build (all values are made up).
ARG GITHUB_TOKEN
FROM python:3.12-slim AS build
ARG PIP_INDEX_PASSWORD
ENV APP_ENV=production \
    # the key for the partner API
    LOG_LEVEL=info
# DATABASE_URL holds a secret: set it at run time (docker run -e DATABASE_URL, compose environment or secrets, a Kubernetes Secret), not in the image
# SECRET_KEY holds a secret: set it at run time (docker run -e SECRET_KEY, compose environment or secrets, a Kubernetes Secret), not in the image
COPY .env ./
COPY ["deploy/id_ed25519", "/root/.ssh/id_ed25519"]
COPY certs/server.key certs/ca.pem /etc/ssl/private/

FROM python:3.12-slim
COPY --from=build /usr/local /usr/local
COPY .npmrc /root/.npmrc
ADD .env.production /srv/
ENV API_TIMEOUT=30
CMD ["python", "-m", "shop"]
