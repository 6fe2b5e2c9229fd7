import httpx
import pybreaker
from fastapi import FastAPI

pricing_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)
client = httpx.Client(base_url="http://pricing:8080", timeout=2.0)
app = FastAPI()


@app.get("/prices")
@pricing_breaker
def prices():
    return client.get("/prices").json()
