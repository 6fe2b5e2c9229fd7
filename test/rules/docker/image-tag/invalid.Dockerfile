# readiness fixture: unpinned base images.
ARG PYTHON_TAG
ARG BASE
ARG REGISTRY
FROM python AS deps
#    ^^^^^^ docker/image-tag noTag
RUN pip install --no-cache-dir poetry

FROM python:latest AS build
#    ^^^^^^^^^^^^^ docker/image-tag latest
COPY --from=deps /usr/local /usr/local

FROM python:${PYTHON_TAG}-slim AS test
#    ^^^^^^^^^^^^^^^^^^^^^^^^^ docker/image-tag argNoDefault

FROM ${BASE} AS custom
#    ^^^^^^^ docker/image-tag argNoDefault

# A registry from a build arg is fine when the tag is pinned; a missing tag is not.
FROM ${REGISTRY}/team/base:2.3 AS pinned
FROM ${REGISTRY}/team/base AS unpinned
#    ^^^^^^^^^^^^^^^^^^^^^ docker/image-tag noTag

FROM build
CMD ["python", "-m", "app"]
