"""Translators' files (XLIFF): what is exported for a locale, and what an imported file may
change.

Export: per target locale, the texts waiting for translation (missing or outdated), or every
text of a chosen selection of products; one unit per translatable field of each product,
colour and photo, with the source version (the hash a translation stamp records).

Import: the units go through :func:`translations_write_batch`, 200 products at a time, by
the rules of :func:`translations_write`: the locale limits, the version, history, stamps and
completeness are those of an edit in the translator's page. A
unit whose source changed since the export is reported outdated and not applied; a unit
with a missing or reordered inline code, an unknown id, a text over the strictest channel's
limit or a locale the importer does not translate is refused on its own. A file that cannot
be read (not XML, not XLIFF, a DOCTYPE) is refused whole and nothing is stored.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from catalog.completeness.rules import text_length
from catalog.io.inline import (
    Token,
    code_sequence,
    html_tokens,
    tokens_html,
    tokens_text,
)
from catalog.io.xliff import VERSIONS, ExportUnit, XliffError, xliff_read, xliff_write
from catalog.models import (
    Channel,
    Colour,
    Product,
    ProductPhoto,
    TranslationStamp,
    TranslatorAssignment,
    source_hash,
)
from catalog.models.fields import sanitize_editorial_html
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

from .errors import ContentError
from .translations import (
    TranslationWrite,
    translation_locales,
    translations_write_batch,
    translator_locales,
)

HTML_FIELDS = {"description"}
BATCH = 500
# Products written together by an import: one query per model for each batch.
WRITE_BATCH = 200
# Uploaded translators' files larger than this are refused before they are read.
MAX_FILE_BYTES = 25 * 1024 * 1024
UNIT_ID = re.compile(r"^(?:product:(?P<style>.+):(?P<field>[a-z_]+)"
                     r"|colour:(?P<colour>\d+):name|photo:(?P<photo>\d+):alt_text)$")


def _loc(name: str, locale: str) -> str:
    return build_localized_fieldname(name, locale)


def _label(name: str) -> str:
    return str(Product._meta.get_field(name).verbose_name)


def export_locales(user) -> list[str]:
    """Locales ``user`` may export: a translator their own; whoever sees products (a content
    manager preparing a file for an agency) every translation locale."""
    if user is None or user.is_superuser:
        return translation_locales()
    if TranslatorAssignment.objects.filter(user=user).exists():
        return translator_locales(user)
    if user.has_perm("catalog.view_product") or user.has_perm("catalog.change_product"):
        return translation_locales()
    return []


def may_import_for_translator(user) -> bool:
    """Who may assign an import to a translator's locales: content managers (they see the
    translators' assignments) and superusers."""
    return user is None or user.is_superuser or user.has_perm(
        "catalog.view_translatorassignment")


def description_limits(locales: Iterable[str]) -> dict[str, tuple[int, str]]:
    """The strictest channel's description limit (characters of text) per locale, and that
    channel's name; locales no channel limits are absent."""
    limits: dict[str, tuple[int, str]] = {}
    channels = Channel.objects.filter(description_max_length__isnull=False).order_by("code")
    for channel in channels.only("name", "locales", "description_max_length"):
        for locale in locales:
            if locale in channel.locales and (locale not in limits or
                                              channel.description_max_length < limits[locale][0]):
                limits[locale] = (channel.description_max_length, channel.name)
    return limits


# Export ----------------------------------------------------------------------------------

def _field_limit(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def _tokens_of(name: str, text: str):
    if name in HTML_FIELDS:
        return html_tokens(text)
    return ([text] if text else []), {}


def _target_tokens(name: str, text: str, codes) -> list[Token] | None:
    if not text:
        return None
    if name not in HTML_FIELDS:
        return [text]
    tokens, target_codes = html_tokens(text)
    same = [(c.tag, c.start) for c in target_codes.values()] == [
        (c.tag, c.start) for c in codes.values()]
    # A translation whose markup no longer matches the source travels as its text only.
    return tokens if same else [tokens_text(tokens)]


def _units_for(locale: str, product_ids: list[int], everything: bool,
               limits: dict) -> Iterator[ExportUnit]:
    source = settings.SOURCE_LANGUAGE
    names = [_loc(n, loc) for n in PRODUCT_TRANSLATED_FIELDS for loc in (source, locale)]
    products = {row["pk"]: row for row in Product.objects.filter(pk__in=product_ids)
                .values("pk", "style_code", *names)}
    stamps, photo_stamps = {}, {}
    for product_id, colour_id, photo_id, name, digest in TranslationStamp.objects.filter(
        product_id__in=product_ids, locale=locale,
    ).values_list("product_id", "colour_id", "photo_id", "field", "source_hash"):
        if photo_id:
            photo_stamps[photo_id] = digest
        else:
            stamps[(product_id, colour_id, name)] = digest
    colours: dict[int, list[dict]] = {}
    for row in Colour.objects.filter(product_id__in=product_ids).order_by(
            "position", "pk").values("pk", "product_id", "code", _loc("name", source),
                                     _loc("name", locale)):
        colours.setdefault(row["product_id"], []).append(row)
    photos: dict[int, list[dict]] = {}
    for row in ProductPhoto.objects.filter(colour__product_id__in=product_ids).order_by(
            "colour__position", "colour_id", "position", "pk").values(
            "pk", "colour__product_id", "colour__code", "position", "role",
            _loc("alt_text", source), _loc("alt_text", locale)):
        photos.setdefault(row["colour__product_id"], []).append(row)
    limit = limits.get(locale)

    def unit(unit_id, group, name, source_text, target_text, stamp, note, max_chars):
        if not source_text:
            return None
        version = source_hash(source_text)
        state = ("missing" if not target_text else
                 "outdated" if stamp is not None and stamp != version else "current")
        if state == "current" and not everything:
            return None
        src, codes = _tokens_of(name, source_text)
        return ExportUnit(id=unit_id, group=group, name=name, source=src,
                          target=_target_tokens(name, target_text, codes), codes=codes,
                          state=state, version=version, note=note, max_chars=max_chars)

    for pk in product_ids:
        row = products.get(pk)
        if row is None:
            continue
        style, title = row["style_code"], row[_loc("name", source)]
        group = f"product:{style}"
        for name in PRODUCT_TRANSLATED_FIELDS:
            if name in HTML_FIELDS and limit:
                max_chars = limit[0]
                hint = (f"at most {limit[0]:,} characters of text ({limit[1]}, the strictest "
                        f"channel in {locale})")
            else:
                max_chars = _field_limit(Product, name)
                hint = f"at most {max_chars:,} characters" if max_chars else ""
            note = " · ".join(filter(None, [f"{title} ({style})", _label(name), hint]))
            if made := unit(f"product:{style}:{name}", group, name,
                            row[_loc(name, source)], row[_loc(name, locale)],
                            stamps.get((pk, None, name)), note, max_chars):
                yield made
        for colour in colours.get(pk, []):
            note = f"{title} ({style}) · name of colour {colour['code']} · at most 80 characters"
            if made := unit(f"colour:{colour['pk']}:name", group, "colour_name",
                            colour[_loc("name", source)], colour[_loc("name", locale)],
                            stamps.get((pk, colour["pk"], "name")), note, 80):
                yield made
        for photo in photos.get(pk, []):
            note = (f"{title} ({style}) · alt text of photo {photo['position'] + 1} "
                    f"({photo['role']}) of colour {photo['colour__code']} · at most 250 "
                    "characters")
            if made := unit(f"photo:{photo['pk']}:alt_text", group, "alt_text",
                            photo[_loc("alt_text", source)], photo[_loc("alt_text", locale)],
                            photo_stamps.get(photo["pk"]), note, 250):
                yield made


def translations_export(*, locale: str, user, out: BinaryIO, products=None,
                        version: str = "2.0") -> int:
    """Write the translators' file for ``locale`` to ``out``; returns how many units.

    ``products`` (ids or a queryset) given: every text of those products whose source is not
    empty, for a chosen selection. Not given: every text of the catalog (archived products
    aside) whose translation is missing or outdated.
    """
    allowed = export_locales(user)
    if locale not in translation_locales():
        raise ContentError.at("locale", f"“{locale}” is not a translation locale. Choose from "
                                        f"{', '.join(translation_locales())}.", code="locale")
    if locale not in allowed:
        raise ContentError.at("locale", f"You may not export {locale}: you translate into "
                                        f"{', '.join(allowed) or 'no locale'}.", code="locale")
    if version not in VERSIONS:
        raise ContentError.at("version", f"XLIFF {version} is not offered: choose "
                                         f"{' or '.join(VERSIONS)}.", code="version")
    if products is None:
        ids = list(Product.objects.exclude(status=Product.Status.ARCHIVED)
                   .order_by("style_code").values_list("pk", flat=True))
    else:
        chosen = products if hasattr(products, "values_list") else Product.objects.filter(
            pk__in=list(products))
        ids = list(chosen.order_by("style_code").values_list("pk", flat=True))
    limits = description_limits([locale])

    def units():
        for start in range(0, len(ids), BATCH):
            yield from _units_for(locale, ids[start:start + BATCH], products is not None,
                                  limits)

    return xliff_write(out, units=units(), source_locale=settings.SOURCE_LANGUAGE,
                       target_locale=locale, version=version)


# Import ----------------------------------------------------------------------------------

APPLIED, UNCHANGED, OUTDATED, REFUSED = "applied", "unchanged", "outdated", "refused"


@dataclass
class UnitReport:
    id: str
    locale: str
    status: str = ""
    message: str = ""
    style_code: str = ""
    field: str = ""


@dataclass
class ImportReport:
    dry_run: bool
    version: str
    units: list[UnitReport] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for u in self.units if u.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in (APPLIED, UNCHANGED, OUTDATED, REFUSED)}

    def summary(self) -> str:
        verb = "would be applied" if self.dry_run else "applied"
        c = self.counts
        return (f"{len(self.units)} units: {c[APPLIED]} {verb}, {c[UNCHANGED]} unchanged, "
                f"{c[OUTDATED]} outdated, {c[REFUSED]} refused.")


@dataclass
class _Subject:
    """What a unit id names: a product's field, a colour's name or a photo's alt text."""

    product_id: int
    style_code: str
    kind: str  # product, colour, photo
    pk: int
    name: str  # the model field
    row: dict


def _locale_of(value: str) -> str:
    known = translation_locales() + [settings.SOURCE_LANGUAGE]
    value = (value or "").strip().lower().replace("_", "-")
    if value in known:
        return value
    primary = value.split("-")[0]
    return primary if primary in known else value


def _resolve(ids: list[str], locales: set[str]) -> dict[str, _Subject]:
    source = settings.SOURCE_LANGUAGE
    styles, colour_ids, photo_ids = set(), set(), set()
    for unit_id in ids:
        if m := UNIT_ID.match(unit_id):
            if m["style"]:
                styles.add(m["style"])
            elif m["colour"]:
                colour_ids.add(int(m["colour"]))
            else:
                photo_ids.add(int(m["photo"]))
    all_locales = [source, *sorted(locales)]
    names = [_loc(n, loc) for n in PRODUCT_TRANSLATED_FIELDS for loc in all_locales]
    products = {}
    for chunk in _chunks(sorted(styles)):
        products.update({r["style_code"]: r for r in Product.objects.filter(
            style_code__in=chunk).values("pk", "style_code", *names)})
    colours = {}
    for chunk in _chunks(sorted(colour_ids)):
        colours.update({r["pk"]: r for r in Colour.objects.filter(pk__in=chunk).values(
            "pk", "product_id", "product__style_code", *(_loc("name", l) for l in all_locales))})
    photos = {}
    for chunk in _chunks(sorted(photo_ids)):
        photos.update({r["pk"]: r for r in ProductPhoto.objects.filter(pk__in=chunk).values(
            "pk", "colour__product_id", "colour__product__style_code",
            *(_loc("alt_text", l) for l in all_locales))})
    found = {}
    for unit_id in ids:
        m = UNIT_ID.match(unit_id)
        if not m:
            continue
        if m["style"]:
            row = products.get(m["style"])
            if row and m["field"] in PRODUCT_TRANSLATED_FIELDS:
                found[unit_id] = _Subject(row["pk"], row["style_code"], "product", row["pk"],
                                          m["field"], row)
        elif m["colour"]:
            if row := colours.get(int(m["colour"])):
                found[unit_id] = _Subject(row["product_id"], row["product__style_code"],
                                          "colour", row["pk"], "name", row)
        elif row := photos.get(int(m["photo"])):
            found[unit_id] = _Subject(row["colour__product_id"],
                                      row["colour__product__style_code"], "photo", row["pk"],
                                      "alt_text", row)
    return found


def _chunks(values: list, size: int = 900):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _describe(sequence) -> str:
    return " ".join(f"{'</' if kind == 'close' else '<'}{code_id}>" for kind, code_id in sequence)


def _check_codes(target: list[Token], source: list[Token], html: bool) -> str:
    got, want = code_sequence(target), code_sequence(source)
    if not html:
        return "This text takes no markup: remove the inline codes." if got else ""
    if got == want:
        return ""
    known = {code_id for _, code_id in want}
    if unknown := sorted({c for _, c in got if c not in known}, key=str):
        return f"Inline code {', '.join(unknown)} is not in the source: remove it."
    missing = [event for event in want if event not in got]
    if missing:
        return (f"Inline code missing from the translation: {_describe(missing)}. Keep every "
                "code of the source, so the markup stays whole.")
    if len(got) != len(want):
        return "An inline code appears twice in the translation: keep each code once."
    return (f"Inline codes reordered: the source has {_describe(want)}, the translation "
            f"{_describe(got)}. Keep the codes in the source's order.")


@transaction.atomic
def translations_import(*, file: BinaryIO | bytes, user, dry_run: bool = False,
                        locales: Iterable[str] | None = None, translator=None,
                        file_name: str = "") -> ImportReport:
    """Apply a translators' file; returns the report of each unit.

    ``translator`` given: the import is made on behalf of that translator (a content manager
    bringing back an agency's file): their locales apply, and the edits are theirs in
    history. ``locales`` given: only units of these locales are applied. ``dry_run``: every
    check is made and reported, nothing is stored. ``file_name``: named in the history of
    the products written ("Translations imported from fr.xlf").
    """
    writer = user
    if translator is not None:
        if not may_import_for_translator(user):
            raise ContentError.at("translator", "Only a content manager may import on behalf "
                                                "of a translator.", code="permission")
        if not TranslatorAssignment.objects.filter(user=translator).exists():
            raise ContentError.at("translator", f"{translator} is not a translator: assign "
                                                "them locales first.", code="translator")
        writer = translator
    try:
        parsed = xliff_read(file)
    except XliffError as exc:
        raise ContentError.at("file", f"Refused, nothing was stored: {exc}", code="xliff"
                              ) from None
    allowed = translator_locales(writer)
    if locales is not None:
        allowed = [loc for loc in allowed if loc in set(locales)]
    report = ImportReport(dry_run=dry_run, version=parsed.version)
    unit_locales = {u.id: _locale_of(u.locale) for u in parsed.units}
    subjects = _resolve([u.id for u in parsed.units],
                        set(unit_locales.values()) & set(translation_locales()))
    limits = description_limits(translation_locales())
    source = settings.SOURCE_LANGUAGE
    seen = set()
    # {product id: [(report, subject, locale, text)]}, in the file's order.
    pending: dict[int, list] = {}
    for read in parsed.units:
        locale = unit_locales[read.id]
        entry = UnitReport(id=read.id, locale=locale)
        report.units.append(entry)
        subject = subjects.get(read.id)
        if subject:
            entry.style_code = subject.style_code
            entry.field = subject.name if subject.kind == "product" else (
                f"{subject.kind} {subject.name.replace('_', ' ')}")

        if (read.id, locale) in seen:
            refuse(entry, "This unit appears twice in the file: only its first copy is read.")
            continue
        seen.add((read.id, locale))
        if read.problem:
            refuse(entry, read.problem)
            continue
        if subject is None:
            refuse(entry, f"Unknown unit “{read.id}”: no such product field, colour or photo here.")
            continue
        if locale not in translation_locales():
            refuse(entry, f"“{read.locale}” is not a translation locale. Choose from "
                   f"{', '.join(translation_locales())}.")
            continue
        if locale not in allowed:
            refuse(entry, f"You do not translate into {locale}: you translate into "
                   f"{', '.join(allowed) or 'no locale'}.")
            continue
        if read.target is None or not tokens_text(read.target).strip():
            refuse(entry, "No translation in the file.", UNCHANGED)
            continue
        source_text = subject.row[_loc(subject.name, source)] or ""
        if not read.version:
            refuse(entry, "The unit carries no source version, so a changed English text could not "
                   "be told: export the file again.")
            continue
        if not source_text or source_hash(source_text) != read.version:
            refuse(entry, "The English text changed since the export: not applied. Export again to "
                   "translate the new text.", OUTDATED)
            continue
        html = subject.kind == "product" and subject.name in HTML_FIELDS
        source_tokens, codes = _tokens_of(subject.name, source_text)
        if problem := _check_codes(read.target, source_tokens, html):
            refuse(entry, problem)
            continue
        if html:
            text = sanitize_editorial_html(tokens_html(read.target, codes))
            if locale in limits and text_length(text) > limits[locale][0]:
                limit, channel = limits[locale]
                refuse(entry, f"{text_length(text):,} characters of text; {channel} takes at most "
                       f"{limit:,}.")
                continue
        else:
            text = tokens_text(read.target)
        current = subject.row.get(_loc(subject.name, locale)) or ""
        if text == current:
            refuse(entry, "Same as the stored translation.", UNCHANGED)
            continue
        pending.setdefault(subject.product_id, []).append((entry, subject, locale, text))

    ids = list(pending)
    reason = f"Translations imported from {file_name}" if file_name else "Translations imported"
    for start in range(0, len(ids), WRITE_BATCH):
        _write_batch(ids[start:start + WRITE_BATCH], pending, writer, reason[:100])
    if dry_run:
        transaction.set_rollback(True)
    return report


def refuse(entry: UnitReport, message: str, status: str = REFUSED) -> None:
    entry.status, entry.message = status, message


def _path(subject: _Subject, locale: str) -> str:
    field_name = _loc(subject.name, locale)
    if subject.kind == "product":
        return field_name
    return f"{subject.kind}s.{subject.pk}.{field_name}"


def _write_batch(product_ids: list[int], pending: dict, writer, reason: str) -> None:
    """Write the units of these products through translations_write_batch; a unit it
    refuses is reported on its own and the product's others are written without it."""
    writes = {}
    for product_id in product_ids:
        write = writes[product_id] = TranslationWrite(product_id=product_id)
        for _entry, subject, locale, text in pending[product_id]:
            target = {"product": (write.product_texts, subject.name),
                      "colour": (write.colour_names, subject.pk),
                      "photo": (write.photo_alt_texts, subject.pk)}[subject.kind]
            target[0].setdefault(target[1], {})[locale] = text
    translations_write_batch(writes=list(writes.values()), user=writer, reason=reason)
    for product_id, write in writes.items():
        everything = " ".join(m for ms in write.errors.values() for m in ms)
        for entry, subject, locale, _text in pending[product_id]:
            if messages := write.errors.get(_path(subject, locale)):
                entry.status, entry.message = REFUSED, " ".join(messages)
            elif not write.written:  # refused as a whole
                entry.status, entry.message = REFUSED, everything
            else:
                entry.status, entry.message = APPLIED, ""
