"""Recompute completeness for the whole catalog, after a rule change or to repair it; the
dashboard's tally and the grid's lowest scores are counted afresh after it."""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.models import Channel, Product
from catalog.services.completeness import (
    BATCH_SIZE,
    completeness_lowest_rebuild,
    completeness_recompute,
    completeness_tally_rebuild,
)


class Command(BaseCommand):
    help = "Recompute completeness of every product, for every channel or one (--channel)."

    def add_arguments(self, parser):
        parser.add_argument("--channel", action="append", dest="channels", metavar="CODE",
                            help="Only this channel (repeat for several).")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                            help=f"Products per batch ({BATCH_SIZE}).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, channels, batch_size, no_progress, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        selected = Channel.objects.all()
        if channels:
            selected = list(Channel.objects.filter(code__in=channels))
            if unknown := sorted(set(channels) - {c.code for c in selected}):
                known = ", ".join(Channel.objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"Unknown channel: {', '.join(unknown)}. Channels: {known}.")
        selected = list(selected)
        if not selected:
            raise CommandError("There is no channel to compute completeness for.")
        total = Product.objects.count()
        with tqdm(total=total, unit="product", desc="completeness", file=self.stderr._out,
                  disable=no_progress) as bar:
            summary = completeness_recompute(channels=selected, batch_size=batch_size,
                                             progress=bar.update)
        completeness_tally_rebuild()
        completeness_lowest_rebuild()
        self.stdout.write(
            f"Recomputed {summary.products} products for {', '.join(c.code for c in selected)}: "
            f"{summary.rows_created} rows created, {summary.rows_updated} changed, "
            f"{summary.rows_unchanged} unchanged, {summary.rows_deleted} removed."
        )
        for channel in selected:
            for locale in channel.locales:
                incomplete = summary.incomplete.get((channel.code, locale), 0)
                self.stdout.write(
                    f"  {channel.code} {locale}: {summary.products - incomplete} complete, "
                    f"{incomplete} incomplete"
                )
