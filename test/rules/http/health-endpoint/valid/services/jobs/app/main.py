from fastapi import FastAPI

app = FastAPI()


@app.get("/api/health")
def health():
    return {"status": "ok"}


@app.post("/jobs")
def create_job(payload: dict):
    return payload
