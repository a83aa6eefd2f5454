"""manage.py export_products FILE.csv|FILE.xlsx: the catalog in the import format."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.models import Product
from catalog.services.imports import products_export


class Command(BaseCommand):
    help = ("Export products to CSV or XLSX in the import format (docs/import-format.md): "
            "importing the file unchanged changes nothing. Streams, whatever the catalog size.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to write, ending in .csv or .xlsx")
        parser.add_argument("--style", action="append", default=[],
                            help="only this style code (repeat for more)")
        parser.add_argument("--brand", help="only this brand's code")
        parser.add_argument("--season", help="only this season's code")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, style, brand=None, season=None, no_progress=False, **options):
        path = Path(file)
        format = path.suffix.lower().lstrip(".")
        if format not in ("csv", "xlsx"):
            raise CommandError("The file must end in .csv or .xlsx.")
        products = Product.objects.all()
        if style:
            products = products.filter(style_code__in=style)
        if brand:
            products = products.filter(brand__code=brand)
        if season:
            products = products.filter(season__code=season)
        with path.open("wb") as binary, tqdm(total=0, unit="product", disable=no_progress,
                                              file=self.stderr._out) as bar:
            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            rows = products_export(binary=binary, format=format, products=products,
                                   progress=progress)
        self.stdout.write(f"{rows} rows written to {path}.")
