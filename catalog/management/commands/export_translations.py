"""manage.py export_translations --locale fr [--xliff 1.2] FILE: a translators' file."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Product
from catalog.services.translation_files import translations_export


class Command(BaseCommand):
    help = ("Write an XLIFF file of what waits for translation in one locale (missing and "
            "outdated texts of products, colours and photos), for a CAT tool. With --style, "
            "every text of those products instead.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlf file to write")
        parser.add_argument("--locale", required=True, help="target locale, e.g. fr")
        parser.add_argument("--xliff", choices=["2.0", "1.2"], default="2.0",
                            help="XLIFF version (default 2.0; 1.2 for older tools)")
        parser.add_argument("--style", action="append", default=[], metavar="STYLE_CODE",
                            help="export every text of this product (repeat for several)")
        parser.add_argument("--as-user", metavar="USERNAME",
                            help="export as this user (their locales); default: every locale")

    def handle(self, *args, file, locale, xliff, style, as_user=None, **options):
        user = None
        if as_user:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"No user “{as_user}”.")
        products = None
        if style:
            products = Product.objects.filter(style_code__in=style)
            if unknown := sorted(set(style) - set(products.values_list("style_code",
                                                                       flat=True))):
                raise CommandError(f"No product {', '.join(unknown)}.")
        try:
            with open(file, "wb") as out:
                count = translations_export(locale=locale, user=user, out=out,
                                            products=products, version=xliff)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror}.") from None
        self.stderr.write(f"{count} unit(s) written for {locale} (XLIFF {xliff}).")
