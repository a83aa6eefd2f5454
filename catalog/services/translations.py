"""Translation stamps: what source text each translation was written against.

A translation written (admin save, import) is stamped with the hash of the current English
text. When the English text changes later, the stamp no longer matches and the translation
is outdated until the translator rewrites it or confirms it unchanged.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from catalog.models import (
    Colour,
    Product,
    ProductPhoto,
    TranslationStamp,
    TranslatorAssignment,
    source_hash,
)
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

from .completeness import completeness_schedule
from .errors import ContentError, ErrorCollector, join_path

COLOUR_NAME = "colour_name"


def translation_locales() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.SOURCE_LANGUAGE]


def translator_locales(user) -> list[str]:
    """The locales ``user`` may write translations in.

    A translator: the locales of their assignment, nothing else. Whoever edits products (and a
    superuser, or a command with no user): every translation locale. Anyone else: none.
    """
    if user is None or user.is_superuser:
        return translation_locales()
    assignment = TranslatorAssignment.objects.filter(user=user).first()
    if assignment is None:
        return translation_locales() if user.has_perm("catalog.change_product") else []
    return [loc for loc in translation_locales() if loc in assignment.locales]


def _locale_refusal(locale: str, allowed: list[str]) -> str | None:
    if locale not in translation_locales():
        return (f"“{locale}” is not a translation locale. Choose from "
                f"{', '.join(translation_locales())}.")
    if locale not in allowed:
        return (f"You do not translate into {locale}: you translate into "
                f"{', '.join(allowed) or 'no locale'}.")
    return None


def _text(obj, name: str, locale: str) -> str:
    return getattr(obj, build_localized_fieldname(name, locale), None) or ""


def translation_texts(obj, fields: Iterable[str]) -> dict[str, str]:
    """The source and every translation of ``fields``: what a later save is compared with."""
    return {
        build_localized_fieldname(name, code): _text(obj, name, code)
        for name in fields for code, _ in settings.LANGUAGES
    }


def translation_texts_stored(model, pk: int, fields: Iterable[str]) -> dict[str, str]:
    names = [build_localized_fieldname(n, code) for n in fields for code, _ in settings.LANGUAGES]
    row = model.objects.filter(pk=pk).values(*names).first() or {}
    return {name: value or "" for name, value in row.items()}


def _record(*, product_id: int, colour_id: int | None, obj, fields: Iterable[str],
            before: dict[str, str] | None, user, existing: dict) -> tuple[list, list, list]:
    """Stamps to create, update and delete for one object's translated fields."""
    now = timezone.now()
    source = settings.SOURCE_LANGUAGE
    create, update, delete = [], [], []
    for name in fields:
        source_now = _text(obj, name, source)
        source_before = (before or {}).get(build_localized_fieldname(name, source), source_now)
        for locale in translation_locales():
            text = _text(obj, name, locale)
            text_before = (before or {}).get(build_localized_fieldname(name, locale), "")
            stamp = existing.get((colour_id, name, locale))
            if not text:
                if stamp:
                    delete.append(stamp.pk)
                continue
            if before is None or text != text_before:
                digest, how = source_hash(source_now), TranslationStamp.How.WRITTEN
            elif source_now != source_before and stamp is None:
                # Written before stamps existed: it was written against the previous source.
                digest, how = source_hash(source_before), TranslationStamp.How.FOUND
            else:
                continue
            if stamp is None:
                create.append(TranslationStamp(
                    product_id=product_id, colour_id=colour_id, field=name, locale=locale,
                    source_hash=digest, how=how, stamped_at=now, stamped_by=user,
                ))
            elif stamp.source_hash != digest or stamp.how != how:
                stamp.source_hash, stamp.how, stamp.stamped_at, stamp.stamped_by = (
                    digest, how, now, user)
                update.append(stamp)
    return create, update, delete


def _apply(create, update, delete) -> None:
    if create:
        TranslationStamp.objects.bulk_create(create)
    if update:
        TranslationStamp.objects.bulk_update(
            update, ["source_hash", "how", "stamped_at", "stamped_by"]
        )
    if delete:
        TranslationStamp.objects.filter(pk__in=delete).delete()


def _existing(product_id: int, colour_id: int | None = None, *, colours=False) -> dict:
    stamps = TranslationStamp.objects.filter(product_id=product_id)
    stamps = stamps.filter(colour__isnull=False) if colours else stamps.filter(colour_id=colour_id)
    return {(s.colour_id, s.field, s.locale): s for s in stamps}


@transaction.atomic
def translation_stamps_record(*, product: Product, before: dict[str, str] | None,
                              user=None) -> None:
    """Stamp the product's translations written by this save.

    ``before``: the texts as stored before the save (``translation_texts_stored``), None
    for a new product. A translation that changed is stamped with the current source; one
    that did not change keeps its stamp, so a changed source makes it outdated.
    """
    _apply(*_record(product_id=product.pk, colour_id=None, obj=product,
                    fields=PRODUCT_TRANSLATED_FIELDS, before=before, user=user,
                    existing=_existing(product.pk)))
    completeness_schedule(product_ids=[product.pk])


@transaction.atomic
def colour_translation_stamps_record(*, colour: Colour, before: dict[str, str] | None,
                                     user=None) -> None:
    """The same for a colour's name."""
    _apply(*_record(product_id=colour.product_id, colour_id=colour.pk, obj=colour,
                    fields=["name"], before=before, user=user,
                    existing=_existing(colour.product_id, colour.pk)))
    completeness_schedule(product_ids=[colour.product_id])


@transaction.atomic
def translation_confirm(*, product: Product, locale: str, fields: Iterable[str], user=None) -> int:
    """The translator checked these translations against the new source: they are current.

    ``fields``: translated product fields (``fit_description``) and ``colour_name`` for the
    names of all the product's colours. Returns how many translations were confirmed.
    """
    fields = list(dict.fromkeys(fields))
    if refusal := _locale_refusal(locale, translator_locales(user)):
        raise ContentError.at("locale", refusal, code="locale")
    unknown = [f for f in fields if f not in (*PRODUCT_TRANSLATED_FIELDS, COLOUR_NAME)]
    if unknown or not fields:
        raise ContentError.at(
            "fields",
            f"Nothing to confirm: {', '.join(unknown) or 'no field given'}. Translated fields "
            f"are {', '.join((*PRODUCT_TRANSLATED_FIELDS, COLOUR_NAME))}.", code="field",
        )
    now = timezone.now()
    subjects = [(None, product, f) for f in fields if f != COLOUR_NAME]
    if COLOUR_NAME in fields:
        subjects += [(c.pk, c, "name") for c in product.colours.all()]
    empty = [f"{name} of colour {obj.code}" if colour_id else name
             for colour_id, obj, name in subjects if not _text(obj, name, locale)]
    if empty:
        raise ContentError.at(
            "fields", f"There is no {locale} translation to confirm for: {', '.join(empty)}. "
            "Write it instead.", code="empty",
        )
    for colour_id, obj, name in subjects:
        TranslationStamp.objects.update_or_create(
            product=product, colour_id=colour_id, field=name, locale=locale,
            defaults={"source_hash": source_hash(_text(obj, name, settings.SOURCE_LANGUAGE)),
                      "how": TranslationStamp.How.CONFIRMED, "stamped_at": now,
                      "stamped_by": user},
        )
    completeness_schedule(product_ids=[product.pk])
    return len(subjects)


def _written(obj, name: str, texts: Mapping[str, str], path: tuple, allowed: list[str],
             errors: ErrorCollector) -> list[str]:
    """Set ``obj``'s ``name`` in each locale of ``texts``; the localized names set."""
    written = []
    for locale, text in texts.items():
        field = build_localized_fieldname(name, locale)
        if refusal := _locale_refusal(locale, allowed):
            errors.add(join_path(*path, field), refusal, code="locale")
            continue
        setattr(obj, field, text or "")
        written.append(field)
    with errors.under(*path):
        obj.clean_fields(exclude=[f.name for f in obj._meta.fields if f.name not in written])
    return written


@transaction.atomic
def translations_write(*, product: Product, expected_version: int | None, user=None,
                       product_texts: Mapping[str, Mapping[str, str]] | None = None,
                       colour_names: Mapping[int, Mapping[str, str]] | None = None,
                       photo_alt_texts: Mapping[int, Mapping[str, str]] | None = None) -> Product:
    """Write translations of a product, its colours' names and its photos' alt text.

    The one path for the translator's page, translators' files and any other entry point:
    only the locales ``user`` translates into (``translator_locales``), only translated
    fields, the product's version checked, history and stamps recorded. Texts by field, then
    locale: ``product_texts={"care_text": {"fr": "Laver à 30 °C."}}``; colours and photos by
    id: ``colour_names={colour.pk: {"fr": "Rouge"}}``. Errors are keyed by the localized
    field (``care_text_fr``, ``colours.<id>.name_fr``, ``photos.<id>.alt_text_fr``).
    """
    allowed = translator_locales(user)
    errors = ErrorCollector()
    for name, texts in (product_texts or {}).items():
        if name not in PRODUCT_TRANSLATED_FIELDS:
            errors.add(name, f"“{name}” is not a translated field of a product. Translated "
                             f"fields are {', '.join(PRODUCT_TRANSLATED_FIELDS)}.", code="field")
            continue
        _written(product, name, texts, (), allowed, errors)
    colours = {c.pk: c for c in product.colours.filter(pk__in=list(colour_names))
               } if colour_names else {}
    before = {pk: translation_texts(colour, ["name"]) for pk, colour in colours.items()}
    photos = {p.pk: p for p in ProductPhoto.objects.select_related("colour").filter(
        colour__product=product, pk__in=list(photo_alt_texts))} if photo_alt_texts else {}
    for kind, subjects, name, given in (("colours", colours, "name", colour_names),
                                        ("photos", photos, "alt_text", photo_alt_texts)):
        for pk, texts in (given or {}).items():
            if pk not in subjects:
                errors.add(join_path(kind, pk), f"No {kind[:-1]} {pk} on {product.style_code}.",
                           code="unknown")
            else:
                _written(subjects[pk], name, texts, (kind, pk), allowed, errors)
    errors.raise_if_any()

    # Imported here: products imports this module.
    from .products import product_translations_save

    product._history_user = user
    product_translations_save(product=product, expected_version=expected_version, user=user)
    for pk, colour in colours.items():
        colour._history_user = user
        colour.save()
        colour_translation_stamps_record(colour=colour, before=before[pk], user=user)
    for photo in photos.values():
        photo._history_user = user
        photo.save()
    return product


def translation_stamps_bootstrap(*, product_ids: Iterable[int] | None = None,
                                 batch_size: int = 1000) -> int:
    """Stamp every translation in place that has no stamp yet, as found against the current
    source (data loaded in bulk, translations that predate stamps). Returns how many."""
    locales = translation_locales()
    source = settings.SOURCE_LANGUAGE
    now = timezone.now()
    products = Product.objects.order_by("pk")
    if product_ids is not None:
        products = products.filter(pk__in=list(product_ids))
    ids = list(products.values_list("pk", flat=True))
    product_names = [build_localized_fieldname(n, code) for n in PRODUCT_TRANSLATED_FIELDS
                     for code, _ in settings.LANGUAGES]
    colour_names = [build_localized_fieldname("name", code) for code, _ in settings.LANGUAGES]
    created = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start:start + batch_size]
        have = set(TranslationStamp.objects.filter(product_id__in=batch)
                   .values_list("product_id", "colour_id", "field", "locale"))
        stamps = []

        def add(product_id, colour_id, row, names):
            for name in names:
                source_text = row[build_localized_fieldname(name, source)]
                for locale in locales:
                    if (row[build_localized_fieldname(name, locale)]
                            and (product_id, colour_id, name, locale) not in have):
                        stamps.append(TranslationStamp(
                            product_id=product_id, colour_id=colour_id, field=name,
                            locale=locale, source_hash=source_hash(source_text),
                            how=TranslationStamp.How.FOUND, stamped_at=now,
                        ))

        for row in Product.objects.filter(pk__in=batch).values("pk", *product_names):
            add(row["pk"], None, row, PRODUCT_TRANSLATED_FIELDS)
        for row in Colour.objects.filter(product_id__in=batch).values(
            "pk", "product_id", *colour_names
        ):
            add(row["product_id"], row["pk"], row, ["name"])
        TranslationStamp.objects.bulk_create(stamps, batch_size=batch_size)
        created += len(stamps)
    return created
