"""manage.py import_photos <folder-or-zip>: place a photo shoot on its product colours."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.services.shoots import NAME_CONVENTION, photos_import, shoot_files


class Command(BaseCommand):
    help = (f"Import a photo shoot from a folder or a zip. Files named {NAME_CONVENTION} "
            "(e.g. WD-24-0193_BLK_01.jpg) land on that style's colour, in number order; "
            "01 is the front, 02 the back, 03 the side, the rest details. Prints every file: "
            "placed, already there, refused (and why) or ignored (system files). Exits 0 once "
            "the folder or archive was read, even if some files were refused; exits 1 only "
            "if it cannot be read at all (not a folder or zip, a damaged archive).")

    def add_arguments(self, parser):
        parser.add_argument("path", help="a folder (searched recursively) or a .zip archive")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, path, no_progress=False, **options):
        try:
            files = shoot_files(path)
        except (ValidationError, OSError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if not files:
            raise CommandError(f"No files in {path}.")
        with tqdm(total=len(files), unit="photo", disable=no_progress,
                  file=self.stderr._out, dynamic_ncols=True) as bar:
            def progress(line):
                bar.set_postfix_str(line.filename[-40:], refresh=False)
                bar.update(1)

            report = photos_import(files=files, progress=progress)
        self.stdout.write(report.as_text())
        if report.refused:
            self.stderr.write(self.style.WARNING(f"{len(report.refused)} file(s) refused."))
