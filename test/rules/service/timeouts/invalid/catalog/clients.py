import httpx
import requests

session = requests.Session()


def prices():
    return requests.get("http://pricing:8080/prices").json()
         # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts missing


def tax():
    return session.post("http://tax:8080/rates", json={}).json()
         # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts missing


def fx():
    return httpx.get("http://fx:8080/rates").json()
         # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts implicitDefault


def audit():
    return requests.post("http://audit:8080/e", timeout=None)
         # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts disabled


def ok():
    return requests.get("http://ok:8080/", timeout=3)
