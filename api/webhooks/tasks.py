from celery import shared_task
from celery.signals import worker_ready

from .services import webhook_event_deliver, webhook_events_sweep


@shared_task(bind=True, max_retries=None, acks_late=True, ignore_result=True)
def webhook_event_deliver_task(self, event_id: str):
    """Post one event; on failure retry with exponential back-off (retry_delay) until it lands.

    Run eagerly (no broker) a failure is not retried inline; the sweep picks it up when due.
    """
    outcome = webhook_event_deliver(event_id=event_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)


@shared_task(ignore_result=True)
def webhook_events_sweep_task():
    return webhook_events_sweep()


@worker_ready.connect
def _sweep_on_worker_start(sender, **kwargs):
    """A restarted worker first sends what a stopped one left undelivered."""
    sender.app.send_task("api.webhooks.tasks.webhook_events_sweep_task")
