from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.stores.services import screen_enrolment_url, screen_token_create
from catalog.stores.models import Store


class Command(BaseCommand):
    help = ("Enrol a screen in a store: print its enrolment link once (open it on the screen); "
            "only the token's hash is kept.")

    def add_arguments(self, parser):
        parser.add_argument("store", help="The store's code, e.g. paris-opera.")
        parser.add_argument("--name", default="", help="Which screen, e.g. “entrance”.")
        parser.add_argument("--base-url", default="",
                            help="The server's address as the screen reaches it (PIM_PUBLIC_URL "
                            "by default, else http://127.0.0.1:8000).")

    def handle(self, *args, store, name, base_url, **options):
        found = Store.objects.filter(code=store).first()
        if found is None:
            known = ", ".join(Store.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"No store “{store}”. Stores: {known}.")
        issued = screen_token_create(store=found, name=name)
        link = screen_enrolment_url(store=found, raw=issued.raw,
                                    base_url=base_url or settings.PIM_PUBLIC_URL
                                    or "http://127.0.0.1:8000")
        self.stderr.write(f"Screen token {issued.token.prefix}… created for {found.code}. The "
                          "link is shown once: open it on the screen now.")
        self.stdout.write(link)
