"""Writes of the API's own data: channel tokens."""
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.models import Channel

from .models import ChannelToken

TOKEN_PREFIX_LENGTH = 8


def token_hash(raw: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is as safe as a slow password hash."""
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ChannelToken
    raw: str  # shown once, never stored


@transaction.atomic
def channel_token_create(*, channel: Channel, name: str, user=None) -> IssuedToken:
    """A new token for one channel. The raw value exists only in the returned object."""
    while True:
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        if not ChannelToken.objects.filter(prefix=prefix).exists():
            break
    raw = f"pim_{prefix}_{secrets.token_urlsafe(32)}"
    token = ChannelToken.objects.create(
        channel=channel, name=name.strip() or "API token", prefix=prefix,
        key_hash=token_hash(raw), created_by=user,
    )
    return IssuedToken(token=token, raw=raw)


def channel_token_revoke(*, token: ChannelToken) -> ChannelToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
