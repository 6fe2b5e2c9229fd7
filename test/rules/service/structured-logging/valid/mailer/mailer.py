import structlog
from flask import Flask

structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()])
app = Flask(__name__)
