from fastapi import FastAPI

app = FastAPI()
      #^^^^^^^^ http/metrics-endpoint missing


@app.post("/jobs")
def create_job(payload: dict):
    return payload
