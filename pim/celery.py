import os

from celery import Celery

# A worker started with no settings named gets the laptop defaults; the web entry points
# (manage.py, pim.wsgi) have chosen theirs before this module is imported.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pim.settings.local")

app = Celery("pim")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["api.webhooks"])


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender, **kwargs):
    from django.conf import settings

    # Undelivered webhook events are sent again when due (run `celery beat` beside the worker).
    sender.add_periodic_task(
        settings.WEBHOOK_SWEEP_INTERVAL,
        sender.signature("api.webhooks.tasks.webhook_events_sweep_task"),
        name="webhook events sweep",
    )
