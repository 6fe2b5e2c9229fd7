from fastapi import FastAPI

app = FastAPI()
      #^^^^^^^^ http/auth-mechanism missing


@app.post("/jobs")
def create_job(payload: dict):
    return payload
