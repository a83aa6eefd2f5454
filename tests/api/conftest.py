"""Channels, tokens, published products and a local webhook receiver for the API tests."""
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from api.services import channel_token_create
from catalog.services.publishing import snapshots_publish, snapshots_tombstone
from tests import factories


def pytest_collection_modifyitems(config, items):
    """Fuzzing and the contract checks run only when asked for by marker (-m fuzz,
    -m contract)."""
    selected = config.getoption("-m") or ""
    for marker in ("fuzz", "contract"):
        if marker in selected:
            continue
        skip = pytest.mark.skip(reason=f"slow: select it with -m {marker}")
        for item in items:
            if item.get_closest_marker(marker):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """With a broker, Celery worker processes share the test database: on SQLite, a file."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if os.environ.get("CELERY_BROKER_URL") and db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def webshop(db):
    return factories.ChannelFactory(code="webshop", locales=["en", "fr"], renditions=[])


@pytest.fixture
def marketplace(db):
    return factories.ChannelFactory(
        code="marketplace", name="Marketplace", locales=["en", "pl"], renditions=[]
    )


@pytest.fixture
def token(webshop):
    return channel_token_create(channel=webshop, name="storefront").raw


@pytest.fixture
def api(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def anonymous():
    return APIClient()


def make_product(**overrides):
    """A product with two colours and three variants, named in English and French."""
    fields = {"name_en": "Linen dress", "name_fr": "Robe en lin"}
    fields.update(overrides)
    product = factories.ProductFactory(**fields)
    red = factories.ColourFactory(product=product, code="RED", name_en="Red", name_fr="Rouge")
    black = factories.ColourFactory(product=product, code="BLK", name_en="Black", name_fr="Noir")
    factories.VariantFactory(colour=red, size_label="S")
    factories.VariantFactory(colour=red, size_label="M")
    factories.VariantFactory(colour=black, size_label="M")
    return product


def publish(product, *channels):
    with transaction.atomic():
        return snapshots_publish(product=product, channels=channels)


def unpublish(product, *channels):
    with transaction.atomic():
        return snapshots_tombstone(product=product, channels=channels or None)


@pytest.fixture
def published(webshop):
    product = make_product()
    publish(product, webshop)
    return product


class Receiver:
    """A webhook endpoint on loopback that fails the first `failures` posts of each event."""

    def __init__(self, failures=0):
        self.failures = failures
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    event_id = self.headers.get("X-PIM-Event-Id")
                    seen = sum(1 for r in receiver.requests if r["event_id"] == event_id)
                    receiver.requests.append(
                        {"event_id": event_id, "headers": dict(self.headers), "body": body}
                    )
                status = 503 if seen < receiver.failures else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"busy" if status == 503 else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/pim"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def delivered(self):
        """Bodies of the posts that were answered 200, in order."""
        with self.lock:
            counts, result = {}, []
            for r in self.requests:
                counts[r["event_id"]] = counts.get(r["event_id"], 0) + 1
                if counts[r["event_id"]] > self.failures:
                    result.append(r)
            return result

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def start(failures=0):
        made.append(Receiver(failures))
        return made[-1]

    yield start
    for r in made:
        r.close()
