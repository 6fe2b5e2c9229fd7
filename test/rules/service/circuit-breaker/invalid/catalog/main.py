import httpx
from fastapi import FastAPI

client = httpx.Client(base_url="http://pricing:8080", timeout=2.0)
app = FastAPI()
    # ^^^^^^^^^ service/circuit-breaker missing


@app.get("/prices")
def prices():
    return client.get("/prices").json()
