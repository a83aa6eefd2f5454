"""The deployment checklist passes with the production settings."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "pim.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 10,
    "DJANGO_ALLOWED_HOSTS": "pim.example.com",
}


def check_deploy(**variables):
    env = {k: v for k, v in os.environ.items()
           if k not in {"PIM_PUBLIC_URL", "AWS_STORAGE_BUCKET_NAME", "DJANGO_MEDIA_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**env, **PRODUCTION, **variables}, capture_output=True, text=True,
        timeout=120,
    )


@pytest.mark.parametrize("variables", [
    {"PIM_PUBLIC_URL": "https://pim.example.com"},
    {"DJANGO_MEDIA_URL": "https://cdn.example.com/media/"},
    {"AWS_STORAGE_BUCKET_NAME": "pim-media", "AWS_S3_REGION_NAME": "eu-west-1"},
], ids=["public-url", "absolute-media-url", "s3"])
def test_check_deploy_is_clean_with_production_settings(variables):
    result = check_deploy(**variables)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_published_media_urls_would_be_relative():
    result = check_deploy()
    assert result.returncode != 0
    assert "media.W001" in result.stderr and "PIM_PUBLIC_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "pim.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
