"""Writes of the API's own data: channel tokens."""
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.models import Channel

from .models import ChannelToken, HashedToken

TOKEN_PREFIX_LENGTH = 8


def token_hash(raw: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is as safe as a slow password hash."""
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: HashedToken
    raw: str  # shown once, never stored


def hashed_token_issue(model: type[HashedToken], *, name: str, user=None, **fields
                       ) -> IssuedToken:
    """A new token of any kind (channel, partner, screen): a unique prefix, 256 random bits,
    only the hash stored. The raw value exists only in the returned object."""
    while True:
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        if not model.objects.filter(prefix=prefix).exists():
            break
    raw = f"pim_{prefix}_{secrets.token_urlsafe(32)}"
    token = model(name=name.strip()[:100] or "token", prefix=prefix, key_hash=token_hash(raw),
                  created_by=user, **fields)
    token.full_clean(exclude=["created_by"])
    token.save()
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def channel_token_create(*, channel: Channel, name: str, user=None) -> IssuedToken:
    """A new token for one channel."""
    return hashed_token_issue(ChannelToken, name=name.strip() or "API token", user=user,
                              channel=channel)


def token_revoke(*, token: HashedToken) -> HashedToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
