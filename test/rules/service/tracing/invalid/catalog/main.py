import sentry_sdk
from fastapi import FastAPI

# Error reporting only: no traces_sample_rate.
sentry_sdk.init(dsn="https://public@sentry.example.com/1")
app = FastAPI()
    # ^^^^^^^^^ service/tracing missing
