# Secrets come from build secrets and the runtime, never from literals.
ARG NPM_TOKEN
ARG NODE_VERSION=20.11
FROM node:${NODE_VERSION}-alpine AS build
ARG NPM_TOKEN
ENV TOKEN_TTL=3600 \
    PASSWORD_MIN_LENGTH=12
ENV API_KEY=${API_KEY} \
    SESSION_SECRET=$SESSION_SECRET
ENV DATABASE_URL=postgres://app@db:5432/app
ENV GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp/key.json
ENV DB_PASSWORD=changeme
# A registry config in a build stage stays out of the final image.
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
COPY .env.example .env.sample ./
COPY certs/ca.pem certs/fullchain.pem /usr/local/share/ca-certificates/

FROM node:20.11-alpine
COPY --from=build /app /app
COPY deploy/id_ed25519.pub /home/node/.ssh/authorized_keys
COPY <<EOF /app/config.env
LOG_LEVEL=info
EOF
ADD https://example.com/keys/release.pem /etc/release.pem
USER node
CMD ["node", "/app/server.js"]
