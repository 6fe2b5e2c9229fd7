import sentry_sdk
from fastapi import FastAPI

sentry_sdk.init(dsn="https://public@sentry.example.com/1", traces_sample_rate=0.2)
app = FastAPI()
