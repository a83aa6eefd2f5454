"""Writes of partner and screen tokens. Like channel tokens, only a hash is kept."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from api.services import TOKEN_PREFIX_LENGTH, token_hash
from catalog.services.errors import ContentError
from catalog.stores.models import Store

from .models import HashedToken, PartnerToken, ScreenToken


@dataclass(frozen=True)
class Issued:
    token: HashedToken
    raw: str  # shown once, never stored


def _issue(model: type[HashedToken], *, name: str, user, **fields) -> Issued:
    while True:
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        if not model.objects.filter(prefix=prefix).exists():
            break
    raw = f"pim_{prefix}_{secrets.token_urlsafe(32)}"
    token = model(name=name.strip()[:100] or "token", prefix=prefix, key_hash=token_hash(raw),
                  created_by=user, **fields)
    token.full_clean(exclude=["created_by"])
    token.save()
    return Issued(token=token, raw=raw)


@transaction.atomic
def partner_token_create(*, kind: str, name: str = "", store: Store | None = None,
                         user=None) -> Issued:
    """A reviews token (writes ratings) or a store token (writes one store's stock)."""
    if kind not in PartnerToken.Kind.values:
        raise ContentError.at("kind", f"Unknown kind “{kind}”: {', '.join(PartnerToken.Kind.values)}.")
    if (kind == PartnerToken.Kind.STORE) != (store is not None):
        raise ContentError.at("store", "A store token names its store; a reviews token none.")
    default = f"{store.code} stock" if store else "reviews platform"
    return _issue(PartnerToken, name=name or default, user=user, kind=kind, store=store)


@transaction.atomic
def screen_token_create(*, store: Store, name: str = "", user=None) -> Issued:
    """A token that enrols one screen in `store`; revoke it to take the screen out."""
    return _issue(ScreenToken, name=name or f"{store.code} screen", user=user, store=store)


def token_revoke(*, token: HashedToken) -> HashedToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def screen_enrolment_url(*, store: Store, raw: str, base_url: str = "") -> str:
    """The link to open once on the screen. The token travels in the fragment, which browsers
    never send to a server, so it stays out of access logs; the page keeps it on the device."""
    base = (base_url or settings.PIM_PUBLIC_URL or "").rstrip("/")
    return f"{base}{reverse('screens:screen', args=[store.code])}#enrol={raw}"
