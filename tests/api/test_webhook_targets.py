"""Webhooks go over https to public addresses, checked on save and again at delivery; every
channel has a secret; due retries go out without a broker."""
import io
import socket
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent
from catalog.models import Channel
from catalog.services.channels import channel_save
from catalog.services.errors import ContentError
from tests import factories

from .conftest import make_product, publish


@pytest.fixture
def production_rules(settings):
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize("url, message", [
    ("http://shop.example.com/hooks", "must use https"),
    ("ftp://shop.example.com/hooks", "must use https"),
    ("https://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://10.0.0.5/hooks", "private"),
    ("https://127.0.0.1:8443/hooks", "loopback"),
    ("https://[::1]/hooks", "loopback"),
    ("https://[::ffff:169.254.169.254]/hooks", "169.254.169.254"),
    ("https://localhost/hooks", "local name"),
    ("https://metadata.google.internal/", "local name"),
    ("https://intranet/hooks", "local name"),
    ("https://user:pw@shop.example.com/hooks", "user name or password"),
    ("http://127.0.0.1:8000/hooks", "must use https"),
])
def test_unsafe_webhook_urls_are_refused_with_a_reason(db, production_rules, url, message):
    channel = factories.ChannelFactory.build(code="outlet", locales=["en"], webhook_url=url)
    with pytest.raises(ContentError) as refused:
        channel_save(channel=channel)
    assert message in str(refused.value)
    assert not Channel.objects.filter(code="outlet").exists()


def test_a_public_https_url_is_accepted(db, production_rules):
    channel = channel_save(channel=factories.ChannelFactory.build(
        code="outlet", locales=["en"], webhook_url="https://hooks.example.com/pim"))
    assert channel.webhook_url == "https://hooks.example.com/pim"


def test_development_settings_allow_http_to_loopback_only(db, settings, production_rules):
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    channel = factories.ChannelFactory.build(code="dev", locales=["en"],
                                             webhook_url="http://127.0.0.1:9000/hooks")
    channel.full_clean()
    channel.webhook_url = "http://192.168.1.20/hooks"
    with pytest.raises(ValidationError, match="must use https"):
        channel.full_clean()


def test_every_channel_gets_a_secret_and_a_cleared_one_is_regenerated(db):
    first, second = factories.ChannelFactory(code="a"), factories.ChannelFactory(code="b")
    assert len(first.webhook_secret) >= 40 and first.webhook_secret != second.webhook_secret
    first.webhook_secret = ""
    channel_save(channel=first)
    first.refresh_from_db()
    assert len(first.webhook_secret) >= 40


def test_a_name_resolving_to_a_private_address_is_refused_at_delivery(
    webshop, production_rules, monkeypatch, django_capture_on_commit_callbacks
):
    webshop.webhook_url = "https://hooks.example.com/pim"
    channel_save(channel=webshop)
    real = socket.getaddrinfo

    def rebound(host, *args, **kwargs):  # DNS now says the cloud metadata address
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code is None
    assert "Refused" in delivery.error and "169.254.169.254" in delivery.error
    assert WebhookEvent.objects.get().delivered_at is None


def test_deliver_webhooks_sends_what_is_due_without_a_broker(
    webshop, receiver, django_capture_on_commit_callbacks
):
    target = receiver(failures=1)
    webshop.webhook_url = target.url
    webshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    event = WebhookEvent.objects.get()
    assert event.attempts == 1 and event.delivered_at is None
    out = io.StringIO()
    call_command("deliver_webhooks", stdout=out)
    assert "0 delivered" in out.getvalue()  # not due yet: back-off
    WebhookEvent.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("deliver_webhooks", stdout=out)
    assert "1 delivered, 0 failed" in out.getvalue()
    event.refresh_from_db()
    assert event.delivered_at is not None and event.attempts == 2


def test_each_eager_publish_also_resends_due_events(
    webshop, receiver, django_capture_on_commit_callbacks
):
    target = receiver(failures=1)
    webshop.webhook_url = target.url
    webshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    WebhookEvent.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_product(), webshop)
    first, second = WebhookEvent.objects.order_by("created_at")
    assert first.attempts == 2 and first.delivered_at is not None
    assert second.attempts == 1 and second.delivered_at is None  # its back-off is not over


def test_re_approving_unchanged_content_sends_no_event(
    webshop, receiver, django_capture_on_commit_callbacks
):
    target = receiver()
    webshop.webhook_url = target.url
    webshop.save()
    product = make_product()
    with django_capture_on_commit_callbacks(execute=True):
        publish(product, webshop)
    with django_capture_on_commit_callbacks(execute=True):
        publish(product, webshop)
    assert WebhookEvent.objects.count() == 1 and len(target.requests) == 1
