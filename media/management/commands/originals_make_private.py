from django.core.management.base import BaseCommand

from media.services import originals_make_private


class Command(BaseCommand):
    help = ("Move originals still in the public media storage into the private originals "
            "storage (migrate does it once; run again after restoring an old backup).")

    def handle(self, *args, **options):
        moved = originals_make_private()
        self.stdout.write(f"{moved} original(s) moved to the originals storage.")
