"""Create or update the role groups: merchandiser, content manager, translator. Idempotent."""
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from catalog.services.roles import ROLE_PERMISSIONS, roles_setup


class Command(BaseCommand):
    help = "Create or update the groups merchandiser, content manager and translator."

    def handle(self, *args, **options):
        missing = roles_setup()
        for role, names in ROLE_PERMISSIONS.items():
            count = Group.objects.get(name=role).permissions.count()
            self.stdout.write(f"{role}: {count} permissions")
            if missing[role]:
                self.stderr.write(
                    f"  not found (is every app migrated?): {', '.join(missing[role])}"
                )
        self.stdout.write(self.style.SUCCESS("Roles are up to date."))
