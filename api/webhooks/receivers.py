from .services import webhook_events_record


def snapshots_changed_record_webhooks(sender, *, channel, snapshots, event, **kwargs):
    """Publishing tells the outbox; the rows commit or roll back with the snapshots."""
    webhook_events_record(channel=channel, snapshots=snapshots, event=event)
