from prometheus_fastapi_instrumentator import Instrumentator
from fastapi import FastAPI

app = FastAPI()
Instrumentator().instrument(app).expose(app)


@app.post("/jobs")
def create_job(payload: dict):
    return payload
