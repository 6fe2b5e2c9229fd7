import httpx
import requests

client = httpx.Client(base_url="http://pricing:8080", timeout=2.0)


def prices():
    return client.get("/prices").json()


def tax():
    return requests.get("http://tax:8080/rates", timeout=(1, 3)).json()
