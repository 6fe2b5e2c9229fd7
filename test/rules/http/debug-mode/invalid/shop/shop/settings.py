"""Settings of the shop project."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True
#^^^^^^^^^^^ http/debug-mode django
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "shop"]
