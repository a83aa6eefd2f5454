from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Syndication API"

    def ready(self):
        from catalog.signals import snapshots_changed

        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
        from .webhooks.receivers import snapshots_changed_record_webhooks

        snapshots_changed.connect(
            snapshots_changed_record_webhooks, dispatch_uid="api.webhooks.outbox"
        )
