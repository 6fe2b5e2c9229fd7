from fastapi.security import OAuth2PasswordBearer
from fastapi import FastAPI

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


@app.post("/jobs")
def create_job(payload: dict):
    return payload
