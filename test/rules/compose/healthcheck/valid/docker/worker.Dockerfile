FROM python:3.12-slim AS base
WORKDIR /app
HEALTHCHECK CMD python -c "import os; os.kill(1, 0)"

FROM base AS runtime
COPY . .
CMD ["python", "-m", "worker"]

FROM runtime AS test
RUN pip install pytest
HEALTHCHECK NONE
CMD ["pytest"]
