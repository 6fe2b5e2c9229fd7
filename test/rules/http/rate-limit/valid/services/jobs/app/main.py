from slowapi import Limiter
from slowapi.util import get_remote_address
from fastapi import FastAPI

app = FastAPI()
limiter = Limiter(key_func=get_remote_address)
app.state.limiter = limiter


@app.post("/jobs")
def create_job(payload: dict):
    return payload
