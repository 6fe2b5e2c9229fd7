import requests
from fastapi import FastAPI
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

# Built but never mounted on a session: requests does not use it.
adapter = HTTPAdapter(max_retries=Retry(total=3))
app = FastAPI()
    # ^^^^^^^^^ service/retries missing


@app.get("/prices")
def prices():
    return requests.get("http://pricing:8080/prices", timeout=2).json()
