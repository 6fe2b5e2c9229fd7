from fastapi import FastAPI

app = FastAPI()
      #^^^^^^^^ http/health-endpoint missing


@app.post("/jobs")
def create_job(payload: dict):
    return payload
