"""Signals the catalog sends to the rest of the system.

`snapshots_changed` is sent inside the publishing transaction whenever a channel's published
snapshots change, with `event` "publish" (new or refreshed snapshots) or "unpublish"
(tombstones). Receivers that talk to the outside world defer their work with
`transaction.on_commit`, so nothing leaves the machine for a rolled-back change.

    snapshots_changed.send(sender=ProductSnapshot, channel=channel, snapshots=[...], event="publish")
"""
from django.dispatch import Signal

snapshots_changed = Signal()

SNAPSHOT_EVENT_PUBLISH = "publish"
SNAPSHOT_EVENT_UNPUBLISH = "unpublish"
