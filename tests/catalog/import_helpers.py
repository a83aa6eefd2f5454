"""Files for the import tests, written as a spreadsheet program or an ERP would."""
import csv
import io

import openpyxl

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
