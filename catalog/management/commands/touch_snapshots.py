from django.core.management.base import BaseCommand

from catalog.services.publishing import snapshots_touch_all


class Command(BaseCommand):
    help = (
        "Put every published product back at the head of the delta feeds, unchanged (no "
        "re-approval, no new version, no webhook). Run it after changing where media are "
        "served from (PIM_PUBLIC_URL, DJANGO_MEDIA_URL, AWS_S3_CUSTOM_DOMAIN): URLs are made "
        "when the API serves a product, and this tells delta clients to fetch them again."
    )

    def handle(self, *args, **options):
        moved = snapshots_touch_all()
        self.stdout.write(f"{moved} snapshot(s) moved to the head of the feeds.")
