from django.core.management.base import BaseCommand, CommandError

from api.stores.models import PartnerToken
from api.stores.services import partner_token_create
from catalog.stores.models import Store


class Command(BaseCommand):
    help = ("Create a partner token and print it once: `reviews` writes ratings, `store "
            "--store <code>` writes that store's stock. Only its hash is kept.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=PartnerToken.Kind.values)
        parser.add_argument("--store", default="", help="The store's code (store tokens).")
        parser.add_argument("--name", default="", help="Who will use the token.")

    def handle(self, *args, kind, store, name, **options):
        found = None
        if kind == PartnerToken.Kind.STORE:
            found = Store.objects.filter(code=store).first()
            if found is None:
                known = ", ".join(Store.objects.values_list("code", flat=True)) or "none yet"
                raise CommandError(f"A store token needs --store: one of {known}.")
        elif store:
            raise CommandError("A reviews token writes every product's ratings: no --store.")
        issued = partner_token_create(kind=kind, store=found, name=name)
        self.stderr.write(f"Token {issued.token.prefix}… created ({kind}). It is shown once; "
                          "store it now, it cannot be read again.")
        self.stdout.write(issued.raw)
