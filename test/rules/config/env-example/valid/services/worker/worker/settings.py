import os

BROKER_URL = os.environ["REDIS_URL"]
CONCURRENCY = int(os.getenv("WORKER_CONCURRENCY", "4"))
