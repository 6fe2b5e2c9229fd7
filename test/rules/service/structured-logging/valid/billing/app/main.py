import logging

from fastapi import FastAPI
from pythonjsonlogger import jsonlogger

handler = logging.StreamHandler()
handler.setFormatter(jsonlogger.JsonFormatter("%(asctime)s %(levelname)s %(message)s"))
logging.getLogger().addHandler(handler)

app = FastAPI()


@app.get("/invoices")
def invoices():
    logging.getLogger(__name__).info("listing invoices")
    return []
