# BuildKit reads tools.Dockerfile.dockerignore for this Dockerfile.
FROM alpine:3.19
COPY src /src
CMD ["/src/run.sh"]
