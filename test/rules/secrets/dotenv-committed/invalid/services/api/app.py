import os

STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
