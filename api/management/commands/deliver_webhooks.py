from django.core.management.base import BaseCommand

from api.webhooks.services import webhook_events_deliver_due


class Command(BaseCommand):
    help = (
        "Post every webhook event that is due (new, or waiting for its next try after a "
        "failure), in this process: for deployments without a Celery broker, run it from cron "
        "every minute. With a broker, the worker and beat do this on their own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None,
                            help="At most this many events (default: all that are due).")

    def handle(self, *args, limit=None, **options):
        if limit is not None and limit < 1:
            from django.core.management.base import CommandError

            raise CommandError("--limit must be at least 1.")
        delivered, failed = webhook_events_deliver_due(limit=limit)
        self.stdout.write(f"{delivered} delivered, {failed} failed (retried when due).")
