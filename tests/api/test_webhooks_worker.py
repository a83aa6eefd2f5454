"""Webhook delivery through a real Redis broker and real `celery worker` processes.

Run with a broker: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 pytest -m redis -p no:xdist tests/api
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from api.models import WebhookEvent
from api.webhooks.services import webhook_signature
from pim.celery import app

from .conftest import make_product, publish

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (Redis)"
    ),
]
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """A `celery worker` process (with its beat) on the test database.

    The worker runs in a process group of its own: its embedded beat is a child process,
    and stopping the worker stops the whole group, so nothing outlives the test.
    """

    def __init__(self, tmp_path, name, backoff):
        self.log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pim.settings.test",
            "DATABASE_URL": database_url(),
            "WEBHOOK_RETRY_BACKOFF": str(backoff),
            "WEBHOOK_SWEEP_INTERVAL": "1",
            "WEBHOOK_TIMEOUT": "5",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pim", "worker", "-B", "--pool", "solo",
             "-n", f"{name}@%h", "-s", str(tmp_path / f"{name}-schedule"), "-l", "info"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)

    def stop(self, sig=signal.SIGTERM):
        try:  # the group outlives its leader while the beat child lives
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            return
        self.process.wait(timeout=30)


@pytest.fixture
def workers(transactional_db, tmp_path):
    app.control.purge()
    started = []

    def start(name="w1", backoff=1):
        started.append(Worker(tmp_path, name, backoff))
        return started[-1]

    yield start
    for worker in started:
        worker.stop(signal.SIGKILL)
    app.control.purge()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def hooked(webshop, receiver):
    def hook(failures):
        target = receiver(failures=failures)
        webshop.webhook_url = target.url
        webshop.webhook_secret = "s3cret"
        webshop.save()
        return target

    return hook


def test_worker_retries_with_back_off_until_delivered(webshop, hooked, workers):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    target = hooked(failures=2)
    workers()
    product = make_product()
    publish(product, webshop)
    event = WebhookEvent.objects.get()
    wait_for(lambda: WebhookEvent.objects.filter(pk=event.pk, delivered_at__isnull=False).exists())
    event.refresh_from_db()
    log = list(event.deliveries.values_list("attempt", "status_code", "attempted_at"))
    assert [(a, s) for a, s, _ in log] == [(1, 503), (2, 503), (3, 200)]
    gaps = [(log[i + 1][2] - log[i][2]).total_seconds() for i in range(2)]
    assert gaps[0] >= 0.9 and gaps[1] >= 1.9  # 1 s, then 2 s
    posts = target.requests
    assert len(posts) == 3 and {p["event_id"] for p in posts} == {str(event.pk)}
    for post in posts:
        assert post["headers"]["X-PIM-Signature"] == webhook_signature(
            secret="s3cret", body=post["body"]
        )
    assert orjson.loads(posts[-1]["body"])["style_code"] == product.style_code


def test_events_survive_worker_and_server_restarts(webshop, hooked, workers):
    target = hooked(failures=1)
    # Published while no worker runs: the message waits in Redis.
    queued = make_product()
    publish(queued, webshop)
    # A server that stopped between its commit and queueing the message: only the row exists.
    orphan = WebhookEvent.objects.create(
        channel=webshop, event="publish", style_code="ORPHAN-1", version=1,
        payload={"event": "publish", "style_code": "ORPHAN-1"}, next_attempt_at=timezone.now(),
    )
    first = workers("w1", backoff=120)
    # Each event fails once: wait for the first attempts, then kill the worker that holds
    # the retries.
    wait_for(lambda: set(WebhookEvent.objects.values_list("attempts", flat=True)) == {1})
    first.stop(signal.SIGKILL)
    assert not WebhookEvent.objects.filter(delivered_at__isnull=False).exists()
    # The back-off has elapsed when a new worker starts: its start-up sweep sends them.
    WebhookEvent.objects.update(next_attempt_at=timezone.now())
    workers("w2")
    wait_for(lambda: not WebhookEvent.objects.filter(delivered_at__isnull=True).exists())
    delivered = {orjson.loads(r["body"])["style_code"] for r in target.delivered()}
    assert delivered == {queued.style_code, "ORPHAN-1"}
    assert WebhookEvent.objects.get(pk=orphan.pk).attempts == 2
