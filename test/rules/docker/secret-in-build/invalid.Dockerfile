# readiness fixture: secrets baked into a build (all values are made up).
ARG GITHUB_TOKEN=made-up-github-token-value
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^ docker/secret-in-build argLiteral
FROM python:3.12-slim AS build
ARG PIP_INDEX_PASSWORD="made-up-index-pass"
#                      ^^^^^^^^^^^^^^^^^^^^ docker/secret-in-build argLiteral
ENV APP_ENV=production \
    # the key for the partner API
    API_KEY=made-up-api-key-1234 \
#           ^^^^^^^^^^^^^^^^^^^^ docker/secret-in-build envLiteral
    LOG_LEVEL=info
ENV DATABASE_URL=postgres://app:made-up-pw@db:5432/app
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ docker/secret-in-build envConnectionPassword
ENV SECRET_KEY django-made-up-secret
#              ^^^^^^^^^^^^^^^^^^^^^ docker/secret-in-build envLiteral
COPY .env ./
#    ^^^^ docker/secret-in-build dotenv
COPY ["deploy/id_ed25519", "/root/.ssh/id_ed25519"]
#     ^^^^^^^^^^^^^^^^^^^ docker/secret-in-build privateKey
COPY certs/server.key certs/ca.pem /etc/ssl/private/
#    ^^^^^^^^^^^^^^^^ docker/secret-in-build keyFile

FROM python:3.12-slim
COPY --from=build /usr/local /usr/local
COPY .npmrc /root/.npmrc
#    ^^^^^^ docker/secret-in-build registryConfig
ADD .env.production /srv/
#   ^^^^^^^^^^^^^^^ docker/secret-in-build dotenv
ENV STRIPE_API_KEY=made-up-stripe-key API_TIMEOUT=30
#                  ^^^^^^^^^^^^^^^^^^ docker/secret-in-build envLiteral
CMD ["python", "-m", "shop"]
