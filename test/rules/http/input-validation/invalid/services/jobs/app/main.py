from fastapi import FastAPI

app = FastAPI()
      #^^^^^^^^ http/input-validation missing


@app.post("/jobs")
def create_job(payload: dict):
    return payload
