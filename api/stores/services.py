"""Writes of partner and screen tokens. Like channel tokens, only a hash is kept."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from api.services import IssuedToken, hashed_token_issue
from catalog.services.errors import ContentError
from catalog.stores.models import Store

from .models import PartnerToken, ScreenToken


@transaction.atomic
def partner_token_create(*, kind: str, name: str = "", store: Store | None = None,
                         user=None) -> IssuedToken:
    """A reviews token (writes ratings) or a store token (writes one store's stock)."""
    if kind not in PartnerToken.Kind.values:
        raise ContentError.at("kind", f"Unknown kind “{kind}”: {', '.join(PartnerToken.Kind.values)}.")
    if (kind == PartnerToken.Kind.STORE) != (store is not None):
        raise ContentError.at("store", "A store token names its store; a reviews token none.")
    default = f"{store.code} stock" if store else "reviews platform"
    return hashed_token_issue(PartnerToken, name=name or default, user=user, kind=kind, store=store)


@transaction.atomic
def screen_token_create(*, store: Store, name: str = "", user=None) -> IssuedToken:
    """A token that enrols one screen in `store`; revoke it to take the screen out."""
    return hashed_token_issue(ScreenToken, name=name or f"{store.code} screen", user=user, store=store)


def screen_enrolment_url(*, store: Store, raw: str, base_url: str = "") -> str:
    """The link to open once on the screen. The token travels in the fragment, which browsers
    never send to a server, so it stays out of access logs; the page keeps it on the device."""
    base = (base_url or settings.PIM_PUBLIC_URL or "").rstrip("/")
    return f"{base}{reverse('screens:screen', args=[store.code])}#enrol={raw}"
