from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    yield


app = FastAPI(lifespan=lifespan)
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^ service/structured-logging unreachable


@app.on_event("startup")
async def configure_logging():
    # Never runs: FastAPI ignores on_event handlers when the app has a lifespan.
    structlog.configure(processors=[structlog.processors.JSONRenderer()])
