from django.apps import AppConfig


class PimConfig(AppConfig):
    """The project itself: loads the Celery app once the entry point has chosen the settings,
    so that every `shared_task` binds to it (eager by default, the broker when configured)."""

    name = "pim"
    verbose_name = "PIM"

    def ready(self):
        from . import celery  # noqa: F401
