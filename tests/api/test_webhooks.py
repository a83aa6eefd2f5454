"""The webhook outbox: written with the snapshots, signed, retried with back-off, logged."""
from datetime import timedelta

import orjson
import pytest
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent
from api.webhooks.services import retry_delay, webhook_events_sweep, webhook_signature

from .conftest import make_product, publish, unpublish


@pytest.fixture
def hooked(webshop, receiver):
    target = receiver()
    webshop.webhook_url = target.url
    webshop.webhook_secret = "s3cret"
    webshop.save()
    return target


def test_publish_and_unpublish_post_signed_events(
    webshop, hooked, django_capture_on_commit_callbacks
):
    product = make_product()
    with django_capture_on_commit_callbacks(execute=True):
        publish(product, webshop)
    with django_capture_on_commit_callbacks(execute=True):
        unpublish(product, webshop)
    posts = hooked.delivered()
    assert [orjson.loads(p["body"])["event"] for p in posts] == ["publish", "unpublish"]
    for post in posts:
        body = orjson.loads(post["body"])
        assert post["headers"]["X-PIM-Signature"] == webhook_signature(
            secret="s3cret", body=post["body"]
        )
        assert post["headers"]["X-PIM-Event-Id"] == body["id"]
        assert body["style_code"] == product.style_code and body["channel"] == "webshop"
        assert body["locales"] == ["en", "fr"]
    assert [orjson.loads(p["body"])["version"] for p in posts] == [1, 2]
    assert WebhookEvent.objects.filter(delivered_at__isnull=False).count() == 2
    assert all(d.status_code == 200 for d in WebhookDelivery.objects.all())


def test_nothing_is_recorded_when_publishing_rolls_back(webshop, hooked):
    product = make_product()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(product, webshop)
        assert WebhookEvent.objects.count() == 1
        raise RuntimeError
    assert not WebhookEvent.objects.exists()


def test_channel_without_webhook_url_records_nothing(webshop):
    publish(make_product(), webshop)
    assert not WebhookEvent.objects.exists()


def test_failures_are_logged_retried_with_back_off_and_swept_until_delivered(
    settings, webshop, receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BACKOFF = 10
    target = receiver(failures=2)
    webshop.webhook_url = target.url
    webshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    event = WebhookEvent.objects.get()
    # Run eagerly, a failure is not retried inline: the sweep sends it when due.
    assert event.attempts == 1 and event.delivered_at is None
    assert timedelta(seconds=9) < event.next_attempt_at - timezone.now() <= timedelta(seconds=10)
    assert webhook_events_sweep() == 0  # not due yet
    for expected_attempts in (2, 3):
        WebhookEvent.objects.update(next_attempt_at=timezone.now())
        assert webhook_events_sweep() == 1
        event.refresh_from_db()
        assert event.attempts == expected_attempts
    assert event.delivered_at is not None and event.next_attempt_at is None
    log = list(event.deliveries.values_list("attempt", "status_code"))
    assert log == [(1, 503), (2, 503), (3, 200)]
    assert "HTTP 503: busy" in event.deliveries.first().error
    assert webhook_events_sweep() == 0
    assert len(target.delivered()) == 1


def test_unreachable_receiver_is_logged_with_the_error(
    webshop, django_capture_on_commit_callbacks
):
    webshop.webhook_url = "http://127.0.0.1:9/hooks"  # discard port: nothing listens
    webshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code is None and "ConnectError" in delivery.error


def test_back_off_doubles_up_to_the_cap(settings):
    settings.WEBHOOK_RETRY_BACKOFF = 10
    settings.WEBHOOK_RETRY_BACKOFF_MAX = 60
    assert [retry_delay(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_admin_shows_the_delivery_log_and_retries(
    admin_client, webshop, receiver, django_capture_on_commit_callbacks
):
    target = receiver(failures=1)
    webshop.webhook_url = target.url
    webshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    event = WebhookEvent.objects.get()
    listing = admin_client.get("/admin/api/webhookevent/")
    assert listing.status_code == 200 and event.style_code in listing.content.decode()
    page = admin_client.get(f"/admin/api/webhookevent/{event.pk}/change/").content.decode()
    assert "HTTP 503: busy" in page and "503" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/api/webhookevent/",
            {"action": "retry_now", "_selected_action": [str(event.pk)]},
        )
    event.refresh_from_db()
    assert event.delivered_at is not None and event.attempts == 2
