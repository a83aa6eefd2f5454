"""Writes of channels: their locales, markets, required fields, minimums and renditions.

Completeness for the channel is recomputed by its ``post_save`` receiver.
"""
from __future__ import annotations

from django.db import transaction

from catalog.models import Channel

from .errors import full_clean


@transaction.atomic
def channel_save(*, channel: Channel, user=None) -> Channel:
    """Create or update a channel. ``full_clean`` refuses bad specs, locales, markets and limits,
    and stores the rendition specs canonical and each once."""
    full_clean(channel)
    channel._history_user = user
    channel.save()
    return channel
