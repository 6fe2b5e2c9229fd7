from fastapi import FastAPI

app = FastAPI()
      #^^^^^^^^ http/rate-limit missing


@app.post("/jobs")
def create_job(payload: dict):
    return payload
