from django.core.management.base import BaseCommand, CommandError

from api.services import channel_token_create
from catalog.models import Channel


class Command(BaseCommand):
    help = "Create an API token for a channel and print it once; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("channel", help="The channel's code, e.g. webshop.")
        parser.add_argument("--name", default="", help="Who will use the token.")

    def handle(self, *args, channel, name, **options):
        found = Channel.objects.filter(code=channel).first()
        if found is None:
            known = ", ".join(Channel.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"No channel “{channel}”. Channels: {known}.")
        issued = channel_token_create(channel=found, name=name or f"{found.code} token")
        self.stderr.write(
            f"Token {issued.token.prefix}… created for {found.code}. It is shown once; "
            "store it now, it cannot be read again."
        )
        self.stdout.write(issued.raw)
