from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    yield


app = FastAPI(lifespan=lifespan)
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^ service/graceful-shutdown partial


@app.on_event("shutdown")
async def close_pool():
    # Never runs: the app has a lifespan.
    await app.state.pool.close()
