from pydantic import BaseModel
from fastapi import FastAPI

app = FastAPI()


class Order(BaseModel):
    sku: str


@app.post("/jobs")
def create_job(payload: dict):
    return payload
