"""Files for the import tests, written as a spreadsheet program or an ERP would."""
import atexit
import contextlib
import csv
import functools
import io
import os
import shutil
import signal
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
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML",
               "csv": f"csv:Text - txt - csv (StarCalc):{CALC_CSV}"}
    # Calc runs in a session of its own, writing to a file rather than a pipe: a Calc that
    # hangs is killed with the processes it started, none of which can hold the test waiting.
    log = folder / "soffice.log"
    with log.open("wb") as output:
        calc = subprocess.Popen(
            [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={_profile().as_uri()}",
             *([f"--infilter=CSV:{CALC_CSV}"] if source == "csv" else []),
             "--convert-to", filters[target], "--outdir", str(out), str(folder / f"in.{source}")],
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            calc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(calc.pid, signal.SIGKILL)
            calc.wait()
            pytest.fail(f"LibreOffice did not convert in 120 s: {log.read_text(errors='replace')}")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(calc.pid, signal.SIGKILL)  # whatever it left behind
    assert calc.returncode == 0, log.read_text(errors="replace")
    return (out / f"in.{target}").read_bytes()


@functools.cache
def _profile() -> Path:
    """One Calc profile per test process, new for each run (creating one is most of a first
    conversion's time; one left by an earlier run may hold a stale lock)."""
    profile = tempfile.mkdtemp(prefix="pim-calc-profile-")
    atexit.register(shutil.rmtree, profile, ignore_errors=True)
    return Path(profile)
