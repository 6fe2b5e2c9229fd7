import requests
from fastapi import FastAPI
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5)))
app = FastAPI()


@app.get("/prices")
def prices():
    return session.get("http://pricing:8080/prices", timeout=2).json()
