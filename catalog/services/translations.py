"""Translation stamps: what source text each translation was written against.

A translation written (admin save, import) is stamped with the hash of the current English
text. When the English text changes later, the stamp no longer matches and the translation
is outdated until the translator rewrites it or confirms it unchanged.
"""
from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import F
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
from .rows import rows_insert, rows_update_with_history

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


@functools.cache
def _localized(name: str, locale: str) -> str:
    return build_localized_fieldname(name, locale)


def _text(obj, name: str, locale: str) -> str:
    return getattr(obj, _localized(name, locale), None) or ""


def translation_texts(obj, fields: Iterable[str]) -> dict[str, str]:
    """The source and every translation of ``fields``: what a later save is compared with."""
    return {
        _localized(name, code): _text(obj, name, code)
        for name in fields for code, _ in settings.LANGUAGES
    }


def translation_texts_stored(model, pk: int, fields: Iterable[str]) -> dict[str, str]:
    names = [build_localized_fieldname(n, code) for n in fields for code, _ in settings.LANGUAGES]
    row = model.objects.filter(pk=pk).values(*names).first() or {}
    return {name: value or "" for name, value in row.items()}


def _record(*, product_id: int, colour_id: int | None, obj, fields: Iterable[str],
            before: dict[str, str] | None, user, existing: dict,
            photo_id: int | None = None) -> tuple[list, list, list]:
    """Stamps to create (their columns), update and delete for one object's translated
    fields (a product's, a colour's with ``colour_id``, a photo's with ``photo_id``);
    ``existing``: its stamps by ``_key``."""
    now = timezone.now()
    source = settings.SOURCE_LANGUAGE
    locales = translation_locales()
    create, update, delete = [], [], []
    for name in fields:
        source_now = _text(obj, name, source)
        source_before = (before or {}).get(_localized(name, source), source_now)
        for locale in locales:
            text = _text(obj, name, locale)
            text_before = (before or {}).get(_localized(name, locale), "")
            stamp = existing.get((colour_id, photo_id, name, locale))
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
            if stamp is None:  # its columns: a file's thousands need no model instance
                create.append({
                    "product_id": product_id, "colour_id": colour_id, "photo_id": photo_id,
                    "field": name, "locale": locale, "source_hash": digest, "how": how,
                    "stamped_at": now, "stamped_by_id": getattr(user, "pk", None),
                })
            elif stamp.source_hash != digest or stamp.how != how:
                stamp.source_hash, stamp.how, stamp.stamped_at, stamp.stamped_by = (
                    digest, how, now, user)
                update.append(stamp)
    return create, update, delete


def _apply(create, update, delete) -> None:
    if len(create) > 1:
        rows_insert(TranslationStamp, create, operator.itemgetter)
    elif create:
        TranslationStamp.objects.create(**create[0])
    if update:
        TranslationStamp.objects.bulk_update(
            update, ["source_hash", "how", "stamped_at", "stamped_by"]
        )
    if delete:
        TranslationStamp.objects.filter(pk__in=delete).delete()


def _key(stamp: TranslationStamp) -> tuple:
    return stamp.colour_id, stamp.photo_id, stamp.field, stamp.locale


def _existing(product_id: int, colour_id: int | None = None,
              photo_id: int | None = None) -> dict:
    stamps = TranslationStamp.objects.filter(product_id=product_id, colour_id=colour_id,
                                             photo_id=photo_id)
    return {_key(s): s for s in stamps}


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
def photo_translation_stamps_record(*, photo: ProductPhoto, before: dict[str, str] | None,
                                    user=None) -> None:
    """The same for a photo's alt text, so that an alt text whose English changed is outdated
    like any other translation."""
    product_id = photo.colour.product_id
    _apply(*_record(product_id=product_id, colour_id=None, photo_id=photo.pk, obj=photo,
                    fields=["alt_text"], before=before, user=user,
                    existing=_existing(product_id, photo_id=photo.pk)))


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


def translations_assign(*, product: Product, colours: Mapping[int, Colour],
                        photos: Mapping[int, ProductPhoto], allowed: list[str],
                        errors: ErrorCollector,
                        product_texts: Mapping[str, Mapping[str, str]] | None = None,
                        colour_names: Mapping[int, Mapping[str, str]] | None = None,
                        photo_alt_texts: Mapping[int, Mapping[str, str]] | None = None) -> None:
    """The rules of a translation write, on objects in memory: only translated fields, only
    the ``allowed`` locales, only the product's own colours and photos (``colours``,
    ``photos``: those of the product, by id), each text set and cleaned by its field
    (length, sanitised HTML, no bidirectional controls). Problems go to ``errors`` under
    the paths of :func:`translations_write`; a refused text is still set on its object.
    Shared by :func:`translations_write` and :func:`translations_write_batch`.
    """
    for name, texts in (product_texts or {}).items():
        if name not in PRODUCT_TRANSLATED_FIELDS:
            errors.add(name, f"“{name}” is not a translated field of a product. Translated "
                             f"fields are {', '.join(PRODUCT_TRANSLATED_FIELDS)}.", code="field")
            continue
        _written(product, name, texts, (), allowed, errors)
    for kind, subjects, name, given in (("colours", colours, "name", colour_names),
                                        ("photos", photos, "alt_text", photo_alt_texts)):
        for pk, texts in (given or {}).items():
            if pk not in subjects:
                errors.add(join_path(kind, pk), f"No {kind[:-1]} {pk} on {product.style_code}.",
                           code="unknown")
            else:
                _written(subjects[pk], name, texts, (kind, pk), allowed, errors)


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
    Many products at once (a translators' file): :func:`translations_write_batch`, by the
    same rules.
    """
    allowed = translator_locales(user)
    errors = ErrorCollector()
    colours = {c.pk: c for c in product.colours.filter(pk__in=list(colour_names))
               } if colour_names else {}
    before = {pk: translation_texts(colour, ["name"]) for pk, colour in colours.items()}
    photos = {p.pk: p for p in ProductPhoto.objects.select_related("colour").filter(
        colour__product=product, pk__in=list(photo_alt_texts))} if photo_alt_texts else {}
    photos_before = {pk: translation_texts(photo, ["alt_text"]) for pk, photo in photos.items()}
    translations_assign(product=product, colours=colours, photos=photos, allowed=allowed,
                        errors=errors, product_texts=product_texts, colour_names=colour_names,
                        photo_alt_texts=photo_alt_texts)
    errors.raise_if_any()

    # Imported here: products imports this module.
    from .products import product_translations_save

    product._history_user = user
    product_translations_save(product=product, expected_version=expected_version, user=user)
    for pk, colour in colours.items():
        colour._history_user = user
        colour.save()
        colour_translation_stamps_record(colour=colour, before=before[pk], user=user)
    for pk, photo in photos.items():
        photo._history_user = user
        photo.save()
        photo_translation_stamps_record(photo=photo, before=photos_before[pk], user=user)
    return product


@dataclass
class TranslationWrite:
    """One product's texts for :func:`translations_write_batch` (by field or id, then locale,
    as for :func:`translations_write`), and what became of them: ``errors`` by the paths of
    :func:`translations_write` for the texts refused, ``written`` when the rest was stored."""

    product_id: int
    product_texts: dict[str, dict[str, str]] = field(default_factory=dict)
    colour_names: dict[int, dict[str, str]] = field(default_factory=dict)
    photo_alt_texts: dict[int, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    written: bool = False


def _entries(write: TranslationWrite):
    """Each text of ``write``: (its locale's dict, the locale, the path of its error, the path
    of its subject's error)."""
    for name, texts in write.product_texts.items():
        for locale in texts:
            yield texts, locale, build_localized_fieldname(name, locale), name
    for kind, name, given in (("colours", "name", write.colour_names),
                              ("photos", "alt_text", write.photo_alt_texts)):
        for pk, texts in given.items():
            for locale in texts:
                yield (texts, locale, join_path(kind, pk, build_localized_fieldname(name, locale)),
                       join_path(kind, pk))


def _restore(obj, before: dict[str, str]) -> None:
    for name, value in before.items():
        setattr(obj, name, value)


@transaction.atomic
def translations_write_batch(*, writes: list[TranslationWrite], user=None,
                             reason: str = "") -> None:
    """Write the translations of many products, by the rules of :func:`translations_write`
    (:func:`translations_assign`), in a number of queries that does not grow with them.

    For a translators' file: each product at the version it has now, its row locked for the
    transaction. The products, colours and photos are loaded in one query per model, the
    texts checked in memory; a text refused is reported in its write's ``errors`` and the
    product's other texts are written without it. Every product written gets a new version
    and a history row (``reason`` its change reason), as do its colours and photos written:
    one update statement and one history insert per model; the stamps in one statement each
    for those created, updated and deleted; completeness scheduled once for them all.
    """
    if not writes:
        return
    allowed = translator_locales(user)
    ids = [w.product_id for w in writes]
    products = {p.pk: p for p in Product.objects.select_for_update().filter(pk__in=ids)}
    colour_ids = {pk for w in writes for pk in w.colour_names}
    photo_ids = {pk for w in writes for pk in w.photo_alt_texts}
    colours: dict[int, dict[int, Colour]] = {}
    if colour_ids:
        for c in Colour.objects.filter(product_id__in=ids, pk__in=colour_ids):
            colours.setdefault(c.product_id, {})[c.pk] = c
    photos: dict[int, dict[int, ProductPhoto]] = {}
    if photo_ids:
        for p in ProductPhoto.objects.filter(colour__product_id__in=ids, pk__in=photo_ids
                                             ).annotate(owner_id=F("colour__product_id")):
            photos.setdefault(p.owner_id, {})[p.pk] = p

    # {model: ([objects], {field names})};
    # {product id: [(object, colour id, photo id, translated fields, texts before)]}
    changed = {Product: ([], set()), Colour: ([], set()), ProductPhoto: ([], set())}
    stamped: dict[int, list] = {}
    for write in writes:
        product = products.get(write.product_id)
        if product is None:
            write.errors = {NON_FIELD_ERRORS: ["This product was deleted."]}
            continue
        mine = (colours.get(product.pk, {}), photos.get(product.pk, {}))
        before = {Product: {product.pk: translation_texts(product, PRODUCT_TRANSLATED_FIELDS)},
                  Colour: {pk: translation_texts(c, ["name"]) for pk, c in mine[0].items()},
                  ProductPhoto: {pk: translation_texts(p, ["alt_text"])
                                 for pk, p in mine[1].items()}}
        errors = ErrorCollector()
        translations_assign(product=product, colours=mine[0], photos=mine[1], allowed=allowed,
                            errors=errors, product_texts=write.product_texts,
                            colour_names=write.colour_names,
                            photo_alt_texts=write.photo_alt_texts)
        if errors:
            write.errors = ContentError(errors.errors).paths
            refused = [(texts, locale) for texts, locale, path, subject in _entries(write)
                       if path in write.errors or subject in write.errors]
            kept = sum(1 for _ in _entries(write)) - len(refused)
            for obj, model in ((product, Product), *((c, Colour) for c in mine[0].values()),
                               *((p, ProductPhoto) for p in mine[1].values())):
                _restore(obj, before[model][obj.pk])
            if not refused or not kept:  # refused as a whole, or nothing left to write
                continue
            for texts, locale in refused:
                del texts[locale]
            for given in (write.product_texts, write.colour_names, write.photo_alt_texts):
                for key in [key for key, texts in given.items() if not texts]:
                    del given[key]
            errors = ErrorCollector()
            translations_assign(product=product, colours=mine[0], photos=mine[1],
                                allowed=allowed, errors=errors,
                                product_texts=write.product_texts,
                                colour_names=write.colour_names,
                                photo_alt_texts=write.photo_alt_texts)
            if errors:  # not expected: each text is checked on its own
                write.errors.update(ContentError(errors.errors).paths)
                continue
        write.written = True
        product.version += 1
        entries = [(product, None, PRODUCT_TRANSLATED_FIELDS, Product,
                    {build_localized_fieldname(n, loc) for n, texts in write.product_texts.items()
                     for loc in texts} | {"version", "updated_at"})]
        entries += [(mine[0][pk], pk, ["name"], Colour,
                     {build_localized_fieldname("name", loc) for loc in texts})
                    for pk, texts in write.colour_names.items() if texts]
        entries += [(mine[1][pk], pk, ["alt_text"], ProductPhoto,
                     {build_localized_fieldname("alt_text", loc) for loc in texts}
                     | {"updated_at"})
                    for pk, texts in write.photo_alt_texts.items() if texts]
        for obj, subject_id, names, model, fields in entries:
            obj._history_user = user
            changed[model][0].append(obj)
            changed[model][1].update(fields)
            stamped.setdefault(product.pk, []).append(
                (obj, subject_id if model is Colour else None,
                 subject_id if model is ProductPhoto else None, names, before[model][obj.pk]))

    for model, (objs, names) in changed.items():
        if objs:
            rows_update_with_history(objs, names, user=user, reason=reason)
    if not stamped:
        return
    existing: dict[int, dict] = {}
    for stamp in TranslationStamp.objects.filter(product_id__in=list(stamped)):
        existing.setdefault(stamp.product_id, {})[_key(stamp)] = stamp
    create, update, delete = [], [], []
    for product_id, subjects in stamped.items():
        for obj, colour_id, photo_id, names, before in subjects:
            made = _record(product_id=product_id, colour_id=colour_id, photo_id=photo_id,
                           obj=obj, fields=names, before=before, user=user,
                           existing=existing.get(product_id, {}))
            create += made[0]
            update += made[1]
            delete += made[2]
    _apply(create, update, delete)
    completeness_schedule(product_ids=list(stamped))


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
    alt_texts = [build_localized_fieldname("alt_text", code) for code, _ in settings.LANGUAGES]
    created = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start:start + batch_size]
        have = set(TranslationStamp.objects.filter(product_id__in=batch)
                   .values_list("product_id", "colour_id", "photo_id", "field", "locale"))
        stamps = []

        def add(product_id, colour_id, row, names, photo_id=None):
            for name in names:
                source_text = row[build_localized_fieldname(name, source)]
                for locale in locales:
                    if (row[build_localized_fieldname(name, locale)]
                            and (product_id, colour_id, photo_id, name, locale) not in have):
                        stamps.append(TranslationStamp(
                            product_id=product_id, colour_id=colour_id, photo_id=photo_id,
                            field=name, locale=locale, source_hash=source_hash(source_text),
                            how=TranslationStamp.How.FOUND, stamped_at=now,
                        ))

        for row in Product.objects.filter(pk__in=batch).values("pk", *product_names):
            add(row["pk"], None, row, PRODUCT_TRANSLATED_FIELDS)
        for row in Colour.objects.filter(product_id__in=batch).values(
            "pk", "product_id", *colour_names
        ):
            add(row["product_id"], row["pk"], row, ["name"])
        for row in ProductPhoto.objects.filter(colour__product_id__in=batch).values(
            "pk", "colour__product_id", *alt_texts
        ):
            add(row["colour__product_id"], None, row, ["alt_text"], photo_id=row["pk"])
        TranslationStamp.objects.bulk_create(stamps, batch_size=batch_size)
        created += len(stamps)
    return created
