"""The one place that reads the environment.

Every default runs on a laptop with no services: SQLite, media on the local filesystem,
Celery tasks executed eagerly. Setting DATABASE_URL, CELERY_BROKER_URL or
AWS_STORAGE_BUCKET_NAME switches to PostgreSQL, Redis and S3.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")
