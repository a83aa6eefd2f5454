"""Files for the import tests, written as a spreadsheet program or an ERP would."""
import csv
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from catalog.services.imports import products_export, products_import

HEADER = ["style_code", "brand", "season", "category", "name[en]", "colour_code",
          "colour_name[en]", "sku", "size", "gtin"]


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER, prepare=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Products"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(data: bytes, *, dry_run=False, user=None, filename="products.csv", **kwargs):
    return products_import(file=io.BytesIO(data), filename=filename, user=user,
                           dry_run=dry_run, **kwargs)


def problems(report) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in report.problems]


def exported(format="csv", products=None) -> bytes:
    out = io.BytesIO()
    products_export(binary=out, format=format, products=products)
    return out.getvalue()


SOFFICE = os.environ.get("SOFFICE", "soffice")
# Calc's own CSV options: comma, double quotes, UTF-8 (76), from the first line.
CALC_CSV = "44,34,76,1"


def saved_by_libreoffice(data: bytes, source: str, target: str, folder: Path) -> bytes:
    """The file as LibreOffice Calc writes it after opening `data` (a .csv or .xlsx) and
    saving it as `target` ("xlsx" or "csv"): its own shared strings, styles and number
    formats, and its own reading of a CSV's cells (GTINs become numbers)."""
    if not shutil.which(SOFFICE):
        pytest.skip(f"no LibreOffice at {SOFFICE} (apt-get install libreoffice-calc-nogui)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"in.{source}").write_bytes(data)
    out = folder / "out"
    # One Calc profile per test process: creating one is most of a first conversion's time.
    profile = Path(tempfile.gettempdir()) / f"pim-calc-profile-{os.getpid()}"
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML",
               "csv": f"csv:Text - txt - csv (StarCalc):{CALC_CSV}"}
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         *([f"--infilter=CSV:{CALC_CSV}"] if source == "csv" else []),
         "--convert-to", filters[target], "--outdir", str(out), str(folder / f"in.{source}")],
        check=True, capture_output=True, timeout=120)
    return (out / f"in.{target}").read_bytes()
