"""manage.py import_translations FILE [--dry-run] [--as-user USERNAME]: apply a translators'
file and print the report of each unit."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.services.translation_files import MAX_FILE_BYTES, translations_import


class Command(BaseCommand):
    help = ("Apply an XLIFF 2.0 or 1.2 translators' file. Prints every unit: applied, "
            "unchanged, outdated (the English text changed since the export) or refused, and "
            "why. --as-user applies it with that translator's locales, on their behalf. A file "
            "that cannot be read (not XML, not XLIFF, a DOCTYPE) is refused whole: exit 1.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlf file to read")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report every unit, store nothing")
        parser.add_argument("--as-user", metavar="USERNAME",
                            help="a translator: import with their locales, on their behalf")

    def handle(self, *args, file, dry_run=False, as_user=None, **options):
        translator = None
        if as_user:
            translator = get_user_model().objects.filter(username=as_user).first()
            if translator is None:
                raise CommandError(f"No user “{as_user}”.")
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        if len(data) > MAX_FILE_BYTES:
            raise CommandError(f"{file} is larger than {MAX_FILE_BYTES // 2**20} MB: split it.")
        try:
            report = translations_import(file=data, user=None, dry_run=dry_run,
                                         translator=translator, file_name=Path(file).name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for unit in report.units:
            line = f"{unit.status:<9} {unit.locale:<8} {unit.id}"
            self.stdout.write(f"{line}  {unit.message}" if unit.message else line)
        self.stdout.write(("Dry run, nothing stored. " if dry_run else "") + report.summary())
