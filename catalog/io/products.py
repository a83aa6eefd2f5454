"""The product row format of DOMAIN section 10: one row per variant.

Columns are named for people (``style_code``, ``name[fr]``, ``gtin``). Product columns may
repeat on every row of a style or stay blank after its first row; colour columns likewise
within the colour. A blank cell leaves the stored value alone; :data:`CLEAR` clears it.
Composition, care, size chart and shipping have cell syntaxes (see docs/import-format.md),
parsed and written here; whether a value is allowed is for the services to say.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings

from catalog.models.choices import CARE_GROUPS, CompositionPart, Fibre
from catalog.models.content import SizeChartRow, percent_text
from catalog.models.fields import gtin_check_digit
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

CLEAR = "#clear"

PRODUCT, COLOUR, VARIANT = "product", "colour", "variant"


@dataclass(frozen=True)
class Column:
    name: str  # as in the file's header: "name[fr]"
    level: str  # product, colour or variant
    field: str  # the service's name for it: "name_fr", "care", "colours.name_fr"
    help: str = ""
    example: str = ""


def locales() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def locale_suffix(locale: str) -> str:
    return locale.replace("-", "_")


CARE_KEYS = {name.removeprefix("care_"): name for name in CARE_GROUPS}
SIZE_KEYS = {**{s: s for s in SizeChartRow.SYSTEMS},
             **{m.removesuffix("_cm"): m for m in SizeChartRow.MEASUREMENTS}}

_HELP = {
    "style_code": (("Required. The style, e.g. WD-24-0193: rows with the same code are one "
                   "product."), "WD-24-0193"),
    "brand": ("The brand's code.", "maison-nord"),
    "season": ("The season's code.", "SS25"),
    "category": ("The leaf category's path, names in English joined by “ > ”.",
                 "Women > Dresses > Long dresses"),
    "name": ("The product name; English is required for a new product.", "Linen midi dress"),
    "description": (("Editorial text: HTML paragraphs, lists, emphasis and links; scripts and "
                    "styles are removed as in the admin."), "<p>A dress for long days.</p>"),
    "material_text": ("Free text about the fabric.", "Washed European linen."),
    "fit_description": ("Free text about the fit.", "Relaxed through the body."),
    "size_advice": ("Free text, e.g. runs small.", "True to size."),
    "care_text": ("Free care instructions.", "Wash inside out."),
    "fit_type": ("One of: slim, regular, relaxed, oversized, tailored, loose, skinny.",
                 "relaxed"),
    "model_height_cm": ("Height of the model in cm (100-230).", "178"),
    "model_size": ("The size the model wears.", "S"),
    "size_chart_basis": ("body or garment.", "body"),
    "care": (("ISO 3758 symbols, group: code pairs separated by “;” (washing, bleaching, "
             "drying, ironing, professional). Groups left out are cleared."),
             "washing: wash_30; bleaching: do_not_bleach; drying: line_dry"),
    "composition": (("Per part, percentage and fibre code, parts separated by “;”; each part "
                    "sums to 100 %. Without a part name: shell."),
                    "shell: 95% cotton, 5% elastane; lining: 100% viscose"),
    "size_chart": (("Per size, its label then systems (eu, it, fr, uk, us, jp) and "
                   "measurements in cm (chest, waist, hips, length, inseam, foot_length), sizes "
                   "separated by “;”."), "S: eu=36, fr=36, uk=8, chest=84; M: eu=38, chest=88"),
    "returns_policy": (("The name of a returns policy; blank keeps the category's or brand's "
                       "default."), "30 days free"),
    "shipping": (("Per market: country, cost, currency and delivery days, markets separated "
                 "by “;”. Overrides the brand's rates for this product."),
                 "DE: 4.90 EUR, 2-4 days; FR: 0 EUR, 1-3 days"),
    "rating_average": ("0 to 5.", "4.5"),
    "rating_count": ("Number of ratings.", "12"),
    "colour_code": ("The studio's colour code, capitals and digits.", "BLK"),
    "colour_name": ("The colour's name; English is required for a new colour.", "Black"),
    "sku": (("The variant's SKU, unique in the catalog. Blank on a row that only sets a "
            "product or colour."), "WD-24-0193-BLK-S"),
    "size": ("The variant's size label; it must be in the size chart.", "S"),
    "gtin": (("EAN-13, UPC-A or GTIN-14 with a valid check digit; keep it as text in a "
             "spreadsheet."), "4006381333931"),
}


def _column(name: str, level: str, field: str, base: str | None = None, locale=None) -> Column:
    help_text, example = _HELP[base or name]
    if locale and locale != settings.SOURCE_LANGUAGE:
        help_text = f"In {dict(settings.LANGUAGES)[locale]}."
    return Column(name, level, field, help_text, example if not locale or locale == "en" else "")


def columns() -> list[Column]:
    """Every column, in the order of an export (built once per set of locales: an import
    asks for them for every style)."""
    return list(_columns(tuple(locales()), settings.SOURCE_LANGUAGE,
                         tuple(settings.LANGUAGES)))


@functools.cache
def _columns(locales_: tuple, source: str, languages: tuple) -> tuple[Column, ...]:
    cols = [_column("style_code", PRODUCT, "style_code"), _column("brand", PRODUCT, "brand"),
            _column("season", PRODUCT, "season"), _column("category", PRODUCT, "category")]
    for name in PRODUCT_TRANSLATED_FIELDS:
        for loc in locales():
            cols.append(_column(f"{name}[{loc}]", PRODUCT, f"{name}_{locale_suffix(loc)}",
                                base=name, locale=loc))
    for name in ("fit_type", "model_height_cm", "model_size", "size_chart_basis", "care",
                 "composition", "size_chart", "returns_policy", "shipping", "rating_average",
                 "rating_count"):
        cols.append(_column(name, PRODUCT, name))
    cols.append(_column("colour_code", COLOUR, "code"))
    for loc in locales():
        cols.append(_column(f"colour_name[{loc}]", COLOUR, f"name_{locale_suffix(loc)}",
                            base="colour_name", locale=loc))
    cols += [_column("sku", VARIANT, "sku"), _column("size", VARIANT, "size_label"),
             _column("gtin", VARIANT, "gtin")]
    return tuple(cols)


REQUIRED_COLUMNS = ("style_code", "sku")


# ------------------------------------------------------------------------- cell syntaxes
class CellError(ValueError):
    """A cell that cannot be read; the message says how to write it."""


_PARTS = {p.value: p.value for p in CompositionPart} | {p.label.lower(): p.value
                                                       for p in CompositionPart}
_FIBRES = {f.value: f.value for f in Fibre} | {f.label.lower(): f.value for f in Fibre}


def _decimal(text: str, what: str) -> str:
    try:
        value = Decimal(text.replace(",", ".") if text.count(",") == 1 and "." not in text
                        else text)
    except InvalidOperation:
        raise CellError(f"“{text}” is not a number ({what}).") from None
    return str(value)


def composition_parse(text: str) -> list[dict]:
    lines = []
    for chunk in _entries(text):
        part, _, rest = chunk.rpartition(":") if ":" in chunk else ("shell", "", chunk)
        part_code = _PARTS.get(part.strip().lower())
        if part_code is None:
            raise CellError(f"Unknown part “{part.strip()}”: use one of "
                            f"{', '.join(CompositionPart.values)}.")
        for position, item in enumerate(i.strip() for i in rest.split(",") if i.strip()):
            match = re.fullmatch(r"([\d.,]+)\s*%?\s+(.+)", item)
            if not match:
                raise CellError(f"“{item}”: write a percentage then a fibre, e.g. 95% cotton.")
            fibre = _FIBRES.get(match[2].strip().lower())
            if fibre is None:
                raise CellError(f"Unknown fibre “{match[2].strip()}”: use a fibre code of the "
                                "format page, e.g. cotton, elastane, flax.")
            lines.append({"part": part_code, "fibre": fibre, "position": position,
                          "percentage": _decimal(match[1].rstrip("%"), "percentage")})
    return lines


def composition_format(lines) -> str:
    parts: dict[str, list[str]] = {}
    for line in lines:
        parts.setdefault(line.part, []).append(f"{percent_text(line.percentage)}% {line.fibre}")
    return "; ".join(f"{part}: {', '.join(items)}" for part, items in parts.items())


@functools.cache
def _care_codes(field: str) -> frozenset[str]:
    return frozenset(CARE_GROUPS[field].values)


def care_parse(text: str) -> dict:
    values = dict.fromkeys(CARE_GROUPS, "")
    for chunk in _entries(text):
        group, sep, code = (s.strip() for s in chunk.partition(":"))
        field = CARE_KEYS.get(group.lower())
        if not sep or field is None:
            raise CellError(f"“{chunk}”: write group: code, the groups being "
                            f"{', '.join(CARE_KEYS)}.")
        if values[field]:
            raise CellError(f"Care group “{group}” is given twice: one symbol per group.")
        if code not in _care_codes(field):
            raise CellError(f"Unknown {group} care code “{code}”: use one of "
                            f"{', '.join(CARE_GROUPS[field].values)}.")
        values[field] = code
    return values


def care_format(product) -> str:
    return "; ".join(f"{key}: {getattr(product, field)}" for key, field in CARE_KEYS.items()
                     if getattr(product, field))


def size_chart_parse(text: str) -> list[dict]:
    rows = []
    for position, chunk in enumerate(_entries(text)):
        label, sep, rest = chunk.partition(":")
        if not sep or not label.strip():
            raise CellError(f"“{chunk}”: write the size label, a colon, then key=value pairs, "
                            "e.g. S: eu=36, chest=84.")
        row = {"size_label": label.strip(), "position": position}
        for pair in (p.strip() for p in rest.split(",") if p.strip()):
            key, eq, value = (s.strip() for s in pair.partition("="))
            field = SIZE_KEYS.get(key.lower())
            if not eq or field is None:
                raise CellError(f"Size {label.strip()}: “{pair}” is not key=value with a key "
                                f"among {', '.join(SIZE_KEYS)}.")
            row[field] = value if field in SizeChartRow.SYSTEMS else _decimal(value, key)
        rows.append(row)
    return rows


def size_chart_format(rows) -> str:
    out = []
    for row in rows:
        pairs = [f"{key}={_plain(getattr(row, field))}" for key, field in SIZE_KEYS.items()
                 if getattr(row, field) not in (None, "")]
        out.append(f"{row.size_label}: {', '.join(pairs)}")
    return "; ".join(out)


_RATE = re.compile(r"([A-Za-z]{2})\s*:\s*([\d.,]+)\s+([A-Za-z]{3})\s*,?\s*(\d+)\s*-\s*(\d+)"
                   r"(?:\s*days?)?")


def shipping_parse(text: str) -> list[dict]:
    rates = []
    for chunk in _entries(text):
        match = _RATE.fullmatch(chunk)
        if not match:
            raise CellError(f"“{chunk}”: write country: cost currency, min-max days, e.g. "
                            "DE: 4.90 EUR, 2-4 days.")
        rates.append({"country": match[1].upper(), "cost": _decimal(match[2], "cost"),
                      "currency": match[3].upper(), "min_days": match[4],
                      "max_days": match[5]})
    return rates


def shipping_format(rates) -> str:
    return "; ".join(f"{r.country.code}: {_plain(r.cost)} {r.currency}, "
                     f"{r.min_days}-{r.max_days} days" for r in rates)


def _entries(text: str) -> list[str]:
    return [e.strip() for e in text.split(";") if e.strip()]


def _plain(value) -> str:
    return percent_text(value) if isinstance(value, Decimal) else str(value)


# -------------------------------------------------------------------------------- GTINs
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][+]?\d+")


def gtin_cell(text: str) -> str:
    """A GTIN as typed or as a spreadsheet left it: spaces removed, a number's ``.0`` dropped,
    leading zeros a spreadsheet stripped put back when the check digit then holds.

    A number in scientific notation lost its last digits: refused, never guessed.
    """
    value = "".join(text.split())
    if _SCIENTIFIC.fullmatch(value):
        raise CellError(f"“{text}” is a number in scientific notation: a spreadsheet program "
                        "rounded it and its last digits are lost. Format the GTIN column as "
                        "text and enter the full GTIN.")
    if re.fullmatch(r"\d+\.0+", value):
        value = value.split(".")[0]
    if value.isdigit() and len(value) < 13 and len(value) not in (8, 12):
        padded = value.zfill(13)
        if int(padded[-1]) == gtin_check_digit(padded[:-1]):
            return padded
    return value
