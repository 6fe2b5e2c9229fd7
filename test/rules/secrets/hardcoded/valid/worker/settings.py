"""Worker settings: secrets from the environment only."""
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
PASSWORD_HASH = "$2b$12$KIXQJ6m1lJ1sQ5E6x1Jj8uR2o4nD3k9n5Jm0pZ8lQe1sY2w3e4r5t"
API_TOKEN = os.environ.get("API_TOKEN") or None


def connect(password: str = None):
    return password
