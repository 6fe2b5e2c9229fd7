# Pinned images, stage references, scratch and build args with defaults.
ARG NODE_VERSION=20.11
ARG DISTROLESS_TAG=nonroot
FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build

FROM --platform=linux/amd64 registry.example.com:5000/base/tools@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS tools

FROM scratch AS empty
COPY --from=build /app/dist /dist

FROM gcr.io/distroless/nodejs20-debian12:$DISTROLESS_TAG
COPY --from=build /app/dist /app
CMD ["/app/server.js"]
