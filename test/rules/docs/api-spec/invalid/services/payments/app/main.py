from fastapi import FastAPI

# The schema is not published outside the cluster.
app = FastAPI(title="Payments", openapi_url=None)
      #^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ docs/api-spec missing


@app.post("/payments")
def create_payment():
    return {"status": "accepted"}
