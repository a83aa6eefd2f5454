from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / ".test-media")
ORIGINALS_ROOT = env.path("DJANGO_ORIGINALS_ROOT", default=BASE_DIR / ".test-originals")
if not AWS_STORAGE_BUCKET_NAME:  # noqa: F405
    STORAGES["originals"]["OPTIONS"]["location"] = ORIGINALS_ROOT  # noqa: F405
# The suite's webhook receivers listen on loopback over http.
WEBHOOK_ALLOW_HTTP_LOOPBACK = True
# The admin theme stays cached for the whole run (tests clear only the default cache), so that
# query counts do not depend on which test renders the admin first (tests/conftest.py).
CACHES["admin_interface"]["TIMEOUT"] = None  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test whose statement waits on a lock another connection holds fails, naming the
    # statement, instead of waiting until CI's own limit.
    DATABASES["default"]["OPTIONS"]["options"] += " -c lock_timeout=60s"  # noqa: F405
