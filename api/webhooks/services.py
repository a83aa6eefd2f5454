"""The webhook outbox: events written with the snapshots they announce, posted until delivered.

Delivery is at least once: receivers recognise a repeat by the event id header.
"""
import hashlib
import hmac
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent
from catalog.webhook_urls import WebhookTargetRefused, webhook_target_resolve

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-PIM-Signature"
EVENT_ID_HEADER = "X-PIM-Event-Id"
EVENT_HEADER = "X-PIM-Event"
USER_AGENT = "pim-webhooks/1"
# A worker holds an event this long before another may try it (timeout plus margin); a queued
# event is not queued again by the sweep for as long.
CLAIM_MARGIN = timedelta(seconds=30)
# Due events a publish sends again when tasks run eagerly (each may wait WEBHOOK_TIMEOUT).
EAGER_SWEEP_LIMIT = 20


def _queued_until():
    return timezone.now() + timedelta(seconds=settings.WEBHOOK_TIMEOUT) + CLAIM_MARGIN


def webhook_signature(*, secret: str, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of the raw request body with the channel's webhook secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after `attempts` failures: exponential, capped."""
    base = settings.WEBHOOK_RETRY_BACKOFF
    return min(base * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_BACKOFF_MAX)


def webhook_events_record(*, channel, snapshots, event: str) -> list[WebhookEvent]:
    """Write one outbox row per style in the caller's transaction; send them after commit.

    Nothing is written for a channel without a webhook URL.
    """
    if not channel.webhook_url:
        return []
    locales_by_style: dict[str, set[str]] = defaultdict(set)
    version_by_style: dict[str, int] = {}
    for snapshot in snapshots:
        locales_by_style[snapshot.style_code].add(snapshot.locale)
        version_by_style[snapshot.style_code] = max(
            snapshot.version, version_by_style.get(snapshot.style_code, 0)
        )
    now = timezone.now()
    events = []
    for style_code, locales in locales_by_style.items():
        item = WebhookEvent(
            channel=channel, event=event, style_code=style_code,
            version=version_by_style[style_code], next_attempt_at=_queued_until(),
        )
        item.payload = {
            "id": str(item.id),
            "event": event,
            "channel": channel.code,
            "style_code": style_code,
            "version": item.version,
            "locales": sorted(locales),
            "occurred_at": now.isoformat(),
        }
        events.append(item)
    WebhookEvent.objects.bulk_create(events)
    ids = [str(item.id) for item in events]
    transaction.on_commit(lambda: _send_after_commit(event_ids=ids), robust=True)
    return events


def _send_after_commit(*, event_ids) -> None:
    webhook_events_enqueue(event_ids=event_ids)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker, so no worker retries: each publish also sends what is due again.
        webhook_events_deliver_due(limit=EAGER_SWEEP_LIMIT)


def webhook_events_enqueue(*, event_ids) -> None:
    from api.webhooks.tasks import webhook_event_deliver_task

    for event_id in event_ids:
        try:
            webhook_event_deliver_task.delay(str(event_id))
        except Exception:  # broker down: the row stays due, the sweep sends it later
            logger.exception("Could not queue webhook event %s; the sweep will.", event_id)


def _claim(event_id) -> WebhookEvent | None:
    """Take the event for one attempt, unless it is delivered or another worker has it."""
    now = timezone.now()
    claimed = WebhookEvent.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=event_id, delivered_at__isnull=True,
    ).update(claimed_until=_queued_until())
    if not claimed:
        return None
    return WebhookEvent.objects.select_related("channel").get(pk=event_id)


@dataclass(frozen=True)
class DeliveryOutcome:
    delivered: bool
    retry_in: float | None = None  # seconds, when another attempt is due


def webhook_event_deliver(*, event_id) -> DeliveryOutcome:
    """One attempt to post the event, logged; idempotent once delivered."""
    event = _claim(event_id)
    if event is None:  # delivered already, or in another worker's hands
        return DeliveryOutcome(delivered=True)
    channel = event.channel
    body = orjson.dumps(event.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: str(event.id),
        EVENT_HEADER: event.event,
        SIGNATURE_HEADER: webhook_signature(secret=channel.webhook_secret, body=body),
    }
    started = time.monotonic()
    attempted_at = timezone.now()
    status_code, error = None, ""
    url = channel.webhook_url
    if not url:
        error = "The channel has no webhook URL."
    elif not channel.webhook_secret:
        error = "The channel has no webhook secret: save the channel to generate one."
    else:
        try:
            # Checked now, after DNS, and posted to the checked address (a name may have
            # moved to a private address since the channel was saved).
            address = webhook_target_resolve(url)
            pinned, host = _pinned(url, address)
            with httpx.Client(timeout=settings.WEBHOOK_TIMEOUT, follow_redirects=False) as client:
                request = client.build_request(
                    "POST", pinned, content=body,
                    headers={**headers, "Host": urlsplit(url).netloc},
                    extensions={"sni_hostname": host},  # TLS checks the name, not the address
                )
                response = client.send(request)
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}: {response.text[:200]}"
        except WebhookTargetRefused as exc:
            error = f"Refused: {exc}"[:500]
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
    duration_ms = int((time.monotonic() - started) * 1000)
    attempt = event.attempts + 1
    delivered = not error
    retry_in = None if delivered else retry_delay(attempt)
    with transaction.atomic():
        WebhookDelivery.objects.create(
            event=event, attempt=attempt, url=url or "", attempted_at=attempted_at,
            status_code=status_code, error=error, duration_ms=duration_ms,
        )
        WebhookEvent.objects.filter(pk=event.pk).update(
            attempts=attempt,
            delivered_at=timezone.now() if delivered else None,
            next_attempt_at=None if delivered else timezone.now() + timedelta(seconds=retry_in),
            claimed_until=None,
        )
    return DeliveryOutcome(delivered=delivered, retry_in=retry_in)


def _pinned(url: str, address: str) -> tuple[str, str]:
    """`url` with its host replaced by the checked address, and the host name (for TLS)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc)), parts.hostname or ""


def webhook_events_due(*, limit: int = 500) -> list[str]:
    """Undelivered events whose next try is due and that no worker holds."""
    now = timezone.now()
    return [
        str(pk)
        for pk in WebhookEvent.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            delivered_at__isnull=True, next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    ]


def webhook_events_sweep() -> int:
    """Queue every due event again: after a restart, a lost message or a down broker.

    Each is marked as queued first, so that the next sweep leaves it to its message.
    """
    due = webhook_events_due()
    WebhookEvent.objects.filter(pk__in=due, delivered_at__isnull=True).update(
        next_attempt_at=_queued_until()
    )
    webhook_events_enqueue(event_ids=due)
    return len(due)


def webhook_events_deliver_due(*, limit: int | None = None) -> tuple[int, int]:
    """Post every due event now, in this process (no broker needed): `manage.py
    deliver_webhooks`, and after each publish when tasks run eagerly. Returns (delivered,
    still failing)."""
    delivered = failed = 0
    for event_id in webhook_events_due(limit=limit or 10_000):
        outcome = webhook_event_deliver(event_id=event_id)
        if outcome.retry_in is None:
            delivered += 1
        else:
            failed += 1
    return delivered, failed


def webhook_event_retry_now(*, event: WebhookEvent) -> None:
    """Make an undelivered event due at once (admin action)."""
    WebhookEvent.objects.filter(pk=event.pk, delivered_at__isnull=True).update(
        next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: webhook_events_enqueue(event_ids=[event.pk]), robust=True)
