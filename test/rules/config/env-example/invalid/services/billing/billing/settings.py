import os

STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY")
