from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The demo server's address (`make demo`), so the API serves image URLs a client can fetch.
PIM_PUBLIC_URL = env("PIM_PUBLIC_URL", default="http://127.0.0.1:8000")
