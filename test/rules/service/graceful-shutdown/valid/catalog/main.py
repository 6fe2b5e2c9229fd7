from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    app.state.pool = await asyncpg.create_pool()
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)
