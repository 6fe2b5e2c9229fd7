"""Worker settings."""
from os import getenv

SECRET_KEY = getenv("SECRET_KEY", "dev-k3y-9f8a7b6c")
                                 # ^^^^^^^^^^^^^^^^ secrets/hardcoded fallbackDefault
DB_PASSWORD = "Tq7mZ2kL9wX4pB6n"
             # ^^^^^^^^^^^^^^^^ secrets/hardcoded assignment
DEBUG = getenv("DEBUG", "false") == "true"
