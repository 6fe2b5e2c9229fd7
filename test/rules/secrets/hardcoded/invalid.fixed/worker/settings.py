"""Worker settings."""
import os
from os import getenv

SECRET_KEY = os.environ["SECRET_KEY"]
DB_PASSWORD = os.environ["DB_PASSWORD"]
DEBUG = getenv("DEBUG", "false") == "true"
