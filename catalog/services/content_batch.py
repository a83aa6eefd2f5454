"""Many products saved at once (an import's batch of styles), by the rules of
:func:`catalog.services.products.product_content_save`.

Each product is checked by :func:`~catalog.services.products.product_content_check`, the
function the single save uses, and compared by
:func:`~catalog.services.products.product_content_changed`; what the checks ask of the rest of
the catalog (SKUs and GTINs taken, whether a category needs a size chart) is loaded once for
the batch. The writes are then made per model for the whole batch: one insert (with its
history rows) for the new products, colours, variants, composition lines, size chart rows and
shipping rates, one update statement (and one history insert) for the changed ones,
translation stamps in one statement each, completeness scheduled once. A product unchanged is
not written, gets no history and no recompute.

    batch = ContentBatch(user=user, reason="imported by ana from file fw24.csv")
    save = batch.add(product=product, fields={...}, colours=[...], expected_version=3)
    batch.check()      # save.error: a ContentError by path, or a stale version
    batch.write()      # every save checked clean and changed, inside the caller's transaction

Products given are best loaded with their rows prefetched (as the import does): the checks
read them through the relations, so a prefetched product costs no query of its own.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from catalog.models import Colour, Product, TranslationStamp, Variant
from catalog.models.fields import gtin_normalize
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

from .completeness import completeness_schedule
from .content import CatalogLookups, ContentPlan, size_chart_required
from .errors import ContentError, ErrorCollector
from .products import (
    StaleProductError,
    product_content_changed,
    product_content_check,
    product_stale_message,
)
from .rows import rows_create_with_history, rows_update_with_history
from .translations import (
    _apply,
    _key,
    _record,
    translation_texts,
)


@dataclass
class ContentSave:
    """One product of a batch: the arguments of ``product_content_save`` and the outcome."""

    product: Product
    fields: dict | None = None
    colours: list[dict] | None = None
    composition: list[dict] | None = None
    size_chart: list[dict] | None = None
    shipping: list[dict] | None = None
    expected_version: int | None = None
    # Refused by the caller whatever the checks say (its file had problems with it): checked
    # for their messages, never written, its SKUs and GTINs not held against the others.
    refused: bool = False
    error: ValidationError | None = None  # a ContentError by path, or StaleProductError
    changed: bool = False
    plan: ContentPlan | None = None
    stored: Product | None = field(default=None, repr=False)  # as it was before the checks


class _BatchLookups(CatalogLookups):
    """The catalog's answers for the whole batch, loaded with one query each. A SKU or GTIN
    given by a product checked earlier in the batch is taken for the later ones, as it would
    be had the earlier one been saved first."""

    def __init__(self, saves: list[ContentSave]):
        skus, gtins = set(), set()
        for save in saves:
            for colour in save.colours or []:
                for variant in colour.get("variants") or []:
                    skus.add(variant.get("sku") or "")
                    gtins.add(gtin_normalize(variant.get("gtin") or ""))
        skus.discard("")
        gtins.discard("")
        self.stored: dict[str, list[tuple[int, str, str]]] = {}  # SKU or GTIN -> variants
        if skus or gtins:
            for row in Variant.objects.filter(Q(sku__in=skus) | Q(gtin__in=gtins)).values_list(
                    "pk", "sku", "gtin"):
                self.stored.setdefault(row[1], []).append(row)
                self.stored.setdefault(row[2], []).append(row)
        self.claimed: dict[str, int] = {}  # SKU or GTIN -> index of the save holding it
        self.current = -1
        self.required: dict[int | None, bool] = {}

    def variants_taken(self, *, skus, gtins, mine):
        taken = set()
        for value in {*skus, *gtins}:
            taken.update((sku, gtin) for pk, sku, gtin in self.stored.get(value, ())
                         if pk not in mine)
            owner = self.claimed.get(value)
            if owner is not None and owner != self.current:
                taken.add((value, value))
        return list(taken)

    def claim(self, plan: ContentPlan) -> None:
        for rows in plan.variants.values():
            for variant in rows.kept:
                for value in (variant.sku, variant.gtin):
                    if value:
                        self.claimed.setdefault(value, self.current)

    def size_chart_required(self, category) -> bool:
        key = category.pk if category else None
        if key not in self.required:
            self.required[key] = size_chart_required(category=category)
        return self.required[key]


class ContentBatch:
    def __init__(self, *, user=None, reason: str = ""):
        self.user, self.reason = user, reason
        self.saves: list[ContentSave] = []

    def add(self, *, product: Product, expected_version: int | None = None,
            **lists) -> ContentSave:
        save = ContentSave(product=product, expected_version=expected_version, **lists)
        self.saves.append(save)
        return save

    def check(self) -> None:
        """Lock the stored products, check their versions and every product's content; each
        save's ``error`` says why it would be refused, ``changed`` whether it writes."""
        stored_ids = [s.product.pk for s in self.saves if s.product.pk]
        versions = dict(Product.objects.select_for_update().filter(pk__in=stored_ids)
                        .values_list("pk", "version")) if stored_ids else {}
        lookups = _BatchLookups(self.saves)
        new_codes: dict[str, int] = {}
        taken_codes = set(Product.objects.filter(
            style_code__in=[s.product.style_code for s in self.saves if not s.product.pk]
        ).values_list("style_code", flat=True))
        for index, save in enumerate(self.saves):
            product = save.product
            if product.pk and (save.expected_version is None
                               or versions.get(product.pk) != save.expected_version):
                save.error = StaleProductError(product_stale_message(product_id=product.pk),
                                               code="stale")
                continue
            save.stored = copy.copy(product) if product.pk else None
            errors = ErrorCollector()
            lookups.current = index
            save.plan = product_content_check(
                product=product, stored=save.stored, fields=save.fields, colours=save.colours,
                composition=save.composition, size_chart=save.size_chart,
                shipping=save.shipping, errors=errors, catalog=lookups,
                style_code_checked=True)
            if not product.pk:
                code = product.style_code
                if code in taken_codes or code in new_codes:
                    errors.add("style_code", Product._meta.get_field("style_code")
                               .error_messages["unique"], code="unique")
                new_codes.setdefault(code, index)
            if errors:
                save.error = ContentError(errors.errors)
                continue
            if not save.refused:
                lookups.claim(save.plan)
            save.changed = product_content_changed(stored=save.stored, product=product,
                                                   plan=save.plan)

    @transaction.atomic
    def write(self) -> list[ContentSave]:
        """Write the saves checked clean that change something and are not refused; returns
        them. A database error (a value taken meanwhile) rolls the whole batch back: the
        caller may then save the products one by one."""
        saves = [s for s in self.saves if s.error is None and s.changed and not s.refused
                 and s.plan is not None]
        if not saves:
            return []
        user, reason = self.user, self.reason or None
        products = [s.product for s in saves]
        for save in saves:
            save.product._change_reason = reason
            if user is not None:
                save.product._history_user = user
        # Deletions first, so that a new row may take a value a deleted one held.
        for save in saves:
            plan = save.plan
            for rows in (plan.composition, plan.size_chart, plan.shipping,
                         *plan.variants.values()):
                for obj in rows.deleted if rows else []:
                    _deleted(obj, user, reason)
        new = [p for p in products if p.pk is None]
        old = [s for s in saves if s.product.pk is not None]
        for save in old:
            save.product.version = save.expected_version + 1
        if old:
            rows_update_with_history([s.product for s in old], _updated_fields(Product), user=user,
                          reason=reason)
        if new:
            rows_create_with_history(new, user=user, reason=reason)
        by_model: dict[type, list] = {}
        for save in saves:
            plan = save.plan
            for rows in (plan.composition, plan.size_chart, plan.shipping):
                for obj in rows.changed if rows else []:
                    obj.product = save.product
                    by_model.setdefault(type(obj), []).append(obj)
        for objs in by_model.values():
            _rows_saved(objs, user=user, reason=reason)
        colours, names_before = [], {}
        for save in saves:
            if save.plan.colours is None:
                continue
            names_before.update(save.plan.names_before)
            for colour in save.plan.colours.changed:
                colour.product = save.product
                colours.append(colour)
        before = {id(c): names_before.get(c.pk) for c in colours}
        _rows_saved(colours, user=user, reason=reason)
        variants = []
        for save in saves:
            for index, rows in save.plan.variants.items():
                for variant in rows.changed:
                    variant.colour = save.plan.colours.kept[index]
                    variants.append(variant)
        _rows_saved(variants, user=user, reason=reason)
        for save in saves:
            for colour in save.plan.colours.deleted if save.plan.colours else []:
                _deleted(colour, user, reason)
        _stamps_recorded(saves, colours, before, user=user)
        completeness_schedule(product_ids=[p.pk for p in products])
        return saves


def _updated_fields(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields
            if not f.primary_key and f.name != "created_at"}


def _deleted(obj, user, reason) -> None:
    if user is not None:
        obj._history_user = user
    obj._change_reason = reason
    obj.delete()


def _rows_saved(objs: list, *, user, reason) -> None:
    """New rows in one insert with their history, changed ones in one update with theirs."""
    if not objs:
        return
    model = type(objs[0])
    new = [o for o in objs if o.pk is None]
    old = [o for o in objs if o.pk is not None]
    if old:
        rows_update_with_history(old, _updated_fields(model), user=user, reason=reason)
    if new:
        rows_create_with_history(new, user=user, reason=reason)


def _stamps_recorded(saves: list[ContentSave], colours: list[Colour], before: dict,
                     *, user) -> None:
    """Translation stamps of the products and colours written, as their single saves would
    record them (``translation_stamps_record``), from one query and in one statement each."""
    ids = [s.product.pk for s in saves]
    existing: dict[int, dict] = {}
    # Photos' stamps are skipped here, not in the query: with "photo_id IS NULL" beside the
    # ids, SQLite reads the photo index's whole NULL range (every product's stamps) instead
    # of the products' own, a scan that grows with the catalog.
    for stamp in TranslationStamp.objects.filter(product_id__in=ids):
        if stamp.photo_id is None:
            existing.setdefault(stamp.product_id, {})[_key(stamp)] = stamp
    create, update, delete = [], [], []
    made = [_record(product_id=s.product.pk, colour_id=None, obj=s.product,
                    fields=PRODUCT_TRANSLATED_FIELDS, user=user,
                    before=translation_texts(s.stored, PRODUCT_TRANSLATED_FIELDS)
                    if s.stored else None, existing=existing.get(s.product.pk, {}))
            for s in saves]
    made += [_record(product_id=c.product_id, colour_id=c.pk, obj=c, fields=["name"],
                     before=before[id(c)], user=user, existing=existing.get(c.product_id, {}))
             for c in colours]
    for c, u, d in made:
        create += c
        update += u
        delete += d
    _apply(create, update, delete)
