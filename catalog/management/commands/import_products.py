"""manage.py import_products FILE [--dry-run] [--all-or-nothing]: upsert products from a
CSV or XLSX file in the import format (docs/import-format.md)."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.services.imports import import_marked_copy, products_import


class Command(BaseCommand):
    help = ("Import products from a CSV or XLSX file (one row per variant; the format is in "
            "docs/import-format.md). Prints every problem by row and column. A product with a "
            "problem is not written; the others are, unless --all-or-nothing. Exits 1 if the "
            "file cannot be read at all, or with --dry-run/--all-or-nothing if it has problems.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true",
                            help="check every row and report, write nothing")
        parser.add_argument("--all-or-nothing", action="store_true",
                            help="write nothing unless the whole file is clean")
        parser.add_argument("--user", help="username recorded in history (default: none)")
        parser.add_argument("--report", help="write the file back as .xlsx with the problem "
                                             "cells marked to this path")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, dry_run=False, all_or_nothing=False, user=None, report=None,
               no_progress=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(f"No user {user!r}.")
        with path.open("rb") as binary, tqdm(total=0, unit="row", disable=no_progress,
                                              file=self.stderr._out, dynamic_ncols=True) as bar:
            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            result = products_import(file=binary, filename=path.name, user=who,
                                     dry_run=dry_run, all_or_nothing=all_or_nothing,
                                     progress=progress)
            if report and result.problems and result.styles:
                with open(report, "wb") as out:
                    import_marked_copy(file=binary, report=result, binary=out)
        for notice in result.notices:
            self.stdout.write(notice)
        for p in result.problems:
            where = f"row {p.row}, {p.column}" if p.row else "file"
            value = f" “{p.value}”" if p.value else ""
            self.stdout.write(f"{where}{value}: {p.message}")
        if result.problem_count > len(result.problems):
            self.stdout.write(f"… and {result.problem_count - len(result.problems)} more.")
        self.stdout.write(result.summary)
        if result.styles == 0 and result.problem_count:
            raise CommandError(result.problems[0].message)
        if result.problem_count and (dry_run or all_or_nothing):
            raise CommandError(f"{result.problem_count} problem(s): nothing was written.")
