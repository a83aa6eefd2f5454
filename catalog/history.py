"""A product's history, its inlines included: who changed what, when, from which value to which.

`product_history(product)` reads the history rows django-simple-history keeps for the product,
its colours, variants, composition lines, size chart rows, shipping overrides and photos, and
turns each into an entry with readable values (choice labels, related objects by name,
translated fields named with their locale). Rows where nothing tracked changed are left out,
and a row created lists its values, not differences from nothing. A fixed number of queries,
whatever the number of rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

from django.db import models
from django.utils.text import capfirst
from modeltranslation.fields import TranslationField

from catalog.models import (
    Colour,
    CompositionLine,
    Product,
    ProductPhoto,
    ProductVideo,
    ShippingRate,
    SizeChartRow,
    SocialImage,
    SocialRatio,
    Variant,
)
from catalog.models.choices import CompositionPart, Fibre

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # the verbose name, with the locale of a translated field: "Name [fr]"
    old: str | None  # None for a created row: there was no value before
    new: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    user: str  # empty where no one was signed in (a command, the shell)
    object: str  # "Variant WD-RED-M (M)"
    action: str  # created, changed or deleted
    changes: list[FieldChange]
    reason: str  # the change reason history kept, e.g. "Approved and published (webshop)"


def _colour_label(values: dict) -> str:
    return f"{values.get('name_en') or values.get('name')} ({values['code']})"


def _shown_fields(model) -> list[models.Field]:
    """The fields worth showing: not keys, timestamps or the product link, and each
    translated field by its locales only (the untranslated one mirrors a locale)."""
    fields = model.history.model.tracked_fields
    translated = {f.translated_field.name for f in fields if isinstance(f, TranslationField)}
    return [
        f for f in fields
        if not f.primary_key and f.name not in translated
        and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        and not (f.is_relation and f.related_model is Product)
    ]


def _records(queryset) -> list:
    return list(queryset.select_related("history_user").order_by("history_date", "history_id"))


def product_history(product: Product) -> list[HistoryEntry]:
    """Every change of `product` and its inlines, newest first."""
    colours = _records(Colour.history.filter(product_id=product.pk))
    colour_ids = {r.id for r in colours}
    colour_labels = {r.id: _colour_label(vars(r)) for r in colours}  # the latest name wins
    sources = [
        (Product, _records(Product.history.filter(id=product.pk)),
         lambda v: f"Product {v['style_code']}"),
        (Colour, colours, lambda v: f"Colour {_colour_label(v)}"),
        (Variant, _records(Variant.history.filter(colour_id__in=colour_ids)),
         lambda v: f"Variant {v['sku']} ({v['size_label']})"),
        (CompositionLine, _records(CompositionLine.history.filter(product_id=product.pk)),
         lambda v: f"Composition {CompositionPart(v['part']).label}: {Fibre(v['fibre']).label}"),
        (SizeChartRow, _records(SizeChartRow.history.filter(product_id=product.pk)),
         lambda v: f"Size chart row {v['size_label']}"),
        (ShippingRate, _records(ShippingRate.history.filter(product_id=product.pk)),
         lambda v: f"Shipping override {v['country']}"),
        (ProductPhoto, _records(ProductPhoto.history.filter(colour_id__in=colour_ids)),
         lambda v: f"Photo {v['position']} of {colour_labels.get(v['colour_id'], v['colour_id'])}"),
        (ProductVideo, _records(ProductVideo.history.filter(product_id=product.pk)),
         lambda v: "Video"),
        (SocialImage, _records(SocialImage.history.filter(product_id=product.pk)),
         lambda v: f"Social image {SocialRatio(v['ratio']).label}"),
    ]
    fields_of = {model: _shown_fields(model) for model, _, _ in sources}
    names = _related_names(
        {f: {getattr(r, f.attname) for r in records} - {None}
         for model, records, _ in sources for f in fields_of[model]
         if f.is_relation and f.related_model is not Colour},
    )
    names[Colour] = colour_labels

    entries = []
    for model, records, label in sources:
        fields = fields_of[model]
        previous: dict[int, object] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes = _changes(record, before, fields, names)
            if record.history_type == "~" and not changes:
                continue
            entries.append(HistoryEntry(
                at=record.history_date,
                user=_user(record.history_user),
                object=label(vars(record)),
                action=ACTIONS[record.history_type],
                changes=changes if record.history_type != "-" else [],
                reason=record.history_change_reason or "",
            ))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _related_names(ids_by_field: dict[models.Field, set]) -> dict[type, dict]:
    """Names of the related objects the rows point at: one query per related model."""
    wanted: dict[type, set] = {}
    for field, ids in ids_by_field.items():
        wanted.setdefault(field.related_model, set()).update(ids)
    return {model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
            for model, ids in wanted.items() if ids}


def _changes(record, before, fields, names) -> list[FieldChange]:
    changes = []
    for field in fields:
        new = getattr(record, field.attname)
        if before is None:
            if new in (None, ""):
                continue  # a created row lists what it was given
            old = None
        else:
            old = getattr(before, field.attname)
            if old == new:
                continue
            old = _shown(field, old, names)
        changes.append(FieldChange(capfirst(field.verbose_name), old, _shown(field, new, names)))
    return changes


def _shown(field: models.Field, value, names) -> str:
    if value in (None, ""):
        return ""
    if field.is_relation:
        return names.get(field.related_model, {}).get(value, f"#{value} (deleted)")
    if field.choices:
        return str(_labels(field).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


@cache
def _labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


def _user(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


__all__ = ["FieldChange", "HistoryEntry", "product_history"]
