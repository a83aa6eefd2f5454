"""The deployment checklist passes with the production settings."""
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
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


def test_production_collects_static_and_serves_the_admin_and_api_docs(tmp_path):
    """The README's deployment: migrate and collectstatic, then gunicorn serves pages and their
    assets (the admin's pages read its theme from the database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "AWS_"))}
    env.update(PRODUCTION, PIM_PUBLIC_URL="https://pim.example.com",
               DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_STATIC_ROOT=str(tmp_path / "static"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stdout + collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "pim.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        # Behind the TLS-terminating proxy the production settings expect.
        client = httpx.Client(base_url=base, headers={"X-Forwarded-Proto": "https"}, timeout=10)
        for _ in range(100):
            try:
                client.get("/admin/login/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for path in ("/admin/login/", "/api/v1/docs/"):
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[:500])
            assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
            assert assets, path
            for asset in assets:
                # Hashed names from the manifest, served by the app itself.
                assert re.search(r"\.[0-9a-f]{12}\.", asset), asset
                assert client.get(asset).status_code == 200, asset
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output
