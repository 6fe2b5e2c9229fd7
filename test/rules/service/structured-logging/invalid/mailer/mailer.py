import logging

from flask import Flask

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
app = Flask(__name__)
    # ^^^^^^^^^^^^^^^ service/structured-logging textOnly
