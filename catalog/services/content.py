"""The rows of a product page below the product: colours and their variants, composition,
size chart and shipping overrides.

Each list is written with set semantics: the rows given are the rows the product has after
the write; a stored row not given is deleted. A row names the stored row it updates by
``"id"`` or, without one, by its natural key (colour code, SKU, size label, part and fibre,
country); a row matching none is created. Values are model field names, translated ones by
locale (``"name_fr"``). Every row is checked before anything is written, and the errors are
keyed by the row's path (``"colours.1.variants.0.gtin"``), so one refusal lists them all.

:func:`catalog.services.products.product_content_save` is the entry point; the checks
(``*_check``) are public so that a form can ask the same rule about its rows before it saves.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.base import ModelState
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from catalog.models import (
    Colour,
    CompositionLine,
    ContentField,
    Product,
    ShippingRate,
    SizeChartRow,
    Variant,
    composition_errors,
)

from .errors import ContentError, ErrorCollector, join_path
from .import_digests import import_digests_forget
from .translations import colour_translation_stamps_record, translation_texts


# ------------------------------------------------------------------------------ the rules
def composition_check(*, lines) -> None:
    """`lines`: (part, fibre, percentage) triples. Refused at ``"<index>.fibre"`` for a fibre
    listed twice in its part and on the whole list for a part that does not sum to 100 %."""
    errors = composition_errors(lines)
    if errors:
        raise ContentError({join_path(i, "fibre" if i is not None else None): e
                            for i, e in errors.items()})


def size_chart_required(*, category) -> bool:
    """A category whose content profile leaves out the size chart (accessories) takes any
    size; one with no profile at all needs the chart."""
    profile = category.effective_content_profile() if category else None
    return profile is None or ContentField.SIZE_CHART in profile.required


def variant_sizes_check(*, sizes, chart_labels, required: bool = True) -> None:
    """Every variant's size is in the size chart. `sizes`: the variants' size labels in order;
    `chart_labels`: the chart's labels as they will be. Refused at ``"<index>.size_label"``."""
    if not required:
        return
    labels = set(chart_labels)
    chart = ", ".join(sorted(labels)) or "the chart is empty"
    errors = ErrorCollector()
    for index, size in enumerate(sizes):
        if size and size not in labels:
            errors.add(join_path(index, "size_label"), ValidationError(
                "Size “%(size)s” is not in the size chart (%(chart)s). "
                "Add it to the chart first.", code="size_not_in_chart",
                params={"size": size, "chart": chart}))
    errors.raise_if_any()


def shipping_markets_check(*, countries_listed) -> None:
    """One rate per market in a scope (a brand, a category, a product). Refused at
    ``"<index>.country"``."""
    seen, errors = set(), ErrorCollector()
    for index, country in enumerate(countries_listed):
        code = str(country or "")
        if code and code in seen:
            errors.add(join_path(index, "country"), ValidationError(
                "%(country)s is listed twice: give each market one rate.",
                code="market_twice", params={"country": countries.name(code)}))
        seen.add(code)
    errors.raise_if_any()


class CatalogLookups:
    """What the checks of a product's rows ask of the rest of the catalog: by default one
    query each. A batch of products (:mod:`catalog.services.content_batch`) answers from what
    it loaded once for all of them; the rules asking are the same."""

    def variants_taken(self, *, skus: list[str], gtins: list[str],
                       mine: set[int]) -> list[tuple[str, str]]:
        """(SKU, GTIN) of the variants, other than ``mine``, holding one of these values."""
        return list(Variant.objects.filter(Q(sku__in=skus) | Q(gtin__in=gtins))
                    .exclude(pk__in=mine).values_list("sku", "gtin"))

    def size_chart_required(self, category) -> bool:
        return size_chart_required(category=category)


CATALOG = CatalogLookups()


# ---------------------------------------------------------------------- matching the rows
def field_values(obj, *, skip=()) -> list:
    """What a change is compared by; an empty text is the same whether NULL or ''."""
    values = (getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip)
    return ["" if value is None else value for value in values]


@functools.cache
def _blank(model):
    """An instance as ``model()`` makes it, or None when that depends on the call (a default
    computed by a callable)."""
    fields = model._meta.concrete_fields
    return None if any(f.has_default() and callable(f.default) for f in fields) else model()


def new_row(model, **values):
    """``model(**values)`` for plain fields, without computing every default again: a copy of
    one blank instance. modeltranslation computes each translated field's default with its
    language activated, a millisecond a product of 24 such fields, and an import makes one
    per new product, colour and row. A model whose defaults are computed gets ``model()``."""
    blank = _blank(model)
    if blank is None:
        obj = model()
    else:
        obj = model.__new__(model)
        obj.__dict__.update(blank.__dict__)
        obj._state = ModelState()
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


@functools.cache
def _settable(model, *excluded: str) -> frozenset[str]:
    names = set()
    for f in model._meta.concrete_fields:
        if not f.primary_key and f.editable and f.name not in excluded:
            names |= {f.name, f.attname}
    return frozenset(names)


def assign(obj, values: dict, errors: ErrorCollector, *path, excluded=()) -> None:
    """Set `values` on `obj`, refusing a name that is not one of its editable fields."""
    settable = _settable(type(obj), *excluded)
    for name, value in values.items():
        if name in settable:
            setattr(obj, name, value)
        else:
            errors.add(join_path(*path, name), ValidationError(
                "“%(name)s” is not a field of a %(model)s.", code="unknown_field",
                params={"name": name, "model": obj._meta.verbose_name}))


@dataclass
class Rows:
    """One list matched against the stored rows: the rows kept, in the order given, with
    their values applied; which of them are new or changed; the stored rows not given."""

    kept: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    before: dict = field(default_factory=dict)  # id(row) -> its stored values

    def mark_changes(self) -> None:
        self.changed = [o for o in self.kept
                        if o.pk is None or self.before[id(o)] != field_values(o)]


def _match(model, rows, stored, *, key, path, parent: str, errors: ErrorCollector,
           children: str | None = None) -> Rows:
    """Match `rows` (dicts) to `stored` (instances) by id, else by natural `key`."""
    by_id = {o.pk: o for o in stored}
    by_key = {key(o): o for o in stored}
    claimed: set[int] = set()
    result = Rows()
    for index, given in enumerate(rows):
        pk, probe = given.get("id"), None
        row = {k: v for k, v in given.items() if k not in ("id", children)}
        if pk:
            obj = by_id.get(pk)
            if obj is None:
                errors.add(join_path(path, index, "id"), ValidationError(
                    "There is no such %(model)s on this product.", code="unknown_row",
                    params={"model": model._meta.verbose_name}))
                obj = model()
        else:
            probe, probed = new_row(model), ErrorCollector()
            assign(probe, row, probed, path, index, excluded=(parent,))
            obj = by_key.get(key(probe))
            if obj is None:  # no stored row by that key: the probe is the new row
                obj = probe
        if obj.pk is not None and obj.pk in claimed:
            obj = model()  # given twice: the uniqueness checks say so
        claimed.add(obj.pk)
        if obj.pk is not None:  # a new row is changed whatever its values
            result.before[id(obj)] = field_values(obj)
        result.kept.append(obj)
        if obj is probe:
            for key_, found in probed.errors.items():
                errors.errors.setdefault(key_, []).extend(found)
        else:
            assign(obj, row, errors, path, index, excluded=(parent,))
        # Uniqueness within the list is checked by _unique below and against the catalog by
        # _check_sku_and_gtin. The rows' check constraints repeat their fields' validators
        # and clean() (ranges, min <= max days), which full_clean runs: validating them again
        # would cost a query per constraint and row (Django evaluates them in SQL), ten per
        # size chart row. The database still enforces them on write.
        errors.full_clean(obj, path, index, exclude=[parent], validate_unique=False,
                          validate_constraints=False)
    result.deleted = [o for o in stored if o.pk not in claimed]
    return result


def _has_errors(errors: ErrorCollector, path: str) -> bool:
    return any(key == path or key.startswith(f"{path}.") for key in errors.errors)


def _constraint_message(model, name: str) -> str:
    return next(c.violation_error_message for c in model._meta.constraints if c.name == name)


def _unique(rows: Rows, *, key, path, name, message, errors: ErrorCollector) -> None:
    seen = set()
    for index, obj in enumerate(rows.kept):
        value = key(obj)
        if value in seen:
            errors.add(join_path(path, index, name), ValidationError(message, code="unique"))
        seen.add(value)


# ------------------------------------------------------------------------------ the plan
@dataclass
class ContentPlan:
    """Every list of a product page, checked, ready to write."""

    colours: Rows | None = None
    variants: dict[int, Rows] = field(default_factory=dict)  # colour row's index -> its variants
    composition: Rows | None = None
    size_chart: Rows | None = None
    shipping: Rows | None = None
    names_before: dict[int, dict[str, str]] = field(default_factory=dict)  # colour id -> names

    @property
    def changed(self) -> bool:
        lists = [self.colours, self.composition, self.size_chart, self.shipping,
                 *self.variants.values()]
        return any(rows.changed or rows.deleted for rows in lists if rows is not None)


def content_plan(*, product: Product, colours=None, composition=None, size_chart=None,
                 shipping=None, category_changed: bool = False,
                 errors: ErrorCollector, catalog: CatalogLookups = CATALOG) -> ContentPlan:
    """Match and check every list given (None: leave that list alone); errors go to `errors`.
    The product's stored rows are read through its relations, so a product loaded with them
    prefetched costs no query here."""
    plan = ContentPlan()
    stored = product.pk is not None
    if composition is not None:
        plan.composition = _match(
            CompositionLine, composition,
            list(product.composition_lines.all()) if stored else [],
            key=lambda o: (o.part, o.fibre), path="composition", parent="product", errors=errors)
        if not _has_errors(errors, "composition"):
            with errors.under("composition"):
                composition_check(lines=[(o.part, o.fibre, o.percentage)
                                         for o in plan.composition.kept])
    if size_chart is not None:
        plan.size_chart = _match(
            SizeChartRow, size_chart, list(product.size_chart_rows.all()) if stored else [],
            key=lambda o: o.size_label, path="size_chart", parent="product", errors=errors)
        _unique(plan.size_chart, key=lambda o: o.size_label, path="size_chart",
                name="size_label", errors=errors,
                message=_constraint_message(SizeChartRow, "size_chart_label_unique_per_product"))
    if shipping is not None:
        plan.shipping = _match(
            ShippingRate, shipping, list(product.shipping_rates.all()) if stored else [],
            key=lambda o: str(o.country), path="shipping", parent="product", errors=errors)
        with errors.under("shipping"):
            shipping_markets_check(countries_listed=[o.country for o in plan.shipping.kept])
    if colours is not None:
        _plan_colours(plan, product, colours, errors, catalog)
    if colours is not None or size_chart is not None or category_changed:
        _check_sizes(plan, product, errors, catalog)
    for rows in (plan.colours, plan.composition, plan.size_chart, plan.shipping,
                 *plan.variants.values()):
        if rows is not None:
            rows.mark_changes()
    return plan


def _stored_variants(product: Product) -> list[Variant]:
    """The product's variants as stored, apart from the instances its colours hold (the plan
    changes its own copies)."""
    if not product.pk:
        return []
    if "colours" in getattr(product, "_prefetched_objects_cache", {}):
        return [copy.copy(v) for c in product.colours.all() for v in c.variants.all()]
    return list(Variant.objects.filter(colour__product=product))


def _plan_colours(plan: ContentPlan, product: Product, colours, errors: ErrorCollector,
                  catalog: CatalogLookups) -> None:
    stored = list(product.colours.all()) if product.pk else []
    plan.names_before = {c.pk: translation_texts(c, ["name"]) for c in stored}
    plan.colours = _match(Colour, colours, stored, key=lambda o: o.code, path="colours",
                          parent="product", errors=errors, children="variants")
    _unique(plan.colours, key=lambda o: o.code, path="colours", name="code",
            message=_constraint_message(Colour, "colour_code_unique_per_product"), errors=errors)
    # A variant is found by its SKU among all the product's variants: it may change colour.
    stored_variants = _stored_variants(product)
    for index, row in enumerate(colours):
        if row.get("variants") is None:
            continue
        colour = plan.colours.kept[index]
        own = [v for v in stored_variants if colour.pk and v.colour_id == colour.pk]
        others = [v for v in stored_variants if v not in own]
        rows = _match(Variant, row["variants"], own + others, key=lambda o: o.sku,
                      path=join_path("colours", index, "variants"), parent="colour", errors=errors)
        rows.deleted = [v for v in rows.deleted if v in own]
        _unique(rows, key=lambda o: o.size_label, path=join_path("colours", index, "variants"),
                name="size_label",
                message=_constraint_message(Variant, "variant_size_unique_per_colour"),
                errors=errors)
        for variant in rows.kept:
            variant.colour_id = colour.pk  # a variant given under another colour moves
        plan.variants[index] = rows
    moved = {id(v) for rows in plan.variants.values() for v in rows.kept}
    for rows in plan.variants.values():
        rows.deleted = [v for v in rows.deleted if id(v) not in moved]
    _check_sku_and_gtin(plan, errors, catalog)


def _check_sku_and_gtin(plan: ContentPlan, errors: ErrorCollector,
                        catalog: CatalogLookups) -> None:
    """SKU and GTIN are unique across the catalog: in the rows given and against the rest."""
    given = [(join_path("colours", c, "variants", i), v)
             for c, rows in plan.variants.items() for i, v in enumerate(rows.kept)]
    if not given:
        return
    mine = {v.pk for _, v in given if v.pk} | {v.pk for rows in plan.variants.values()
                                                 for v in rows.deleted}
    taken_sku, taken_gtin = set(), set()
    for sku, gtin in catalog.variants_taken(skus=[v.sku for _, v in given],
                                            gtins=[v.gtin for _, v in given], mine=mine):
        taken_sku.add(sku)
        taken_gtin.add(gtin)
    for name, taken in (("sku", taken_sku), ("gtin", taken_gtin)):
        message = Variant._meta.get_field(name).error_messages["unique"]
        for path, variant in given:
            value = getattr(variant, name)
            if value and value in taken:
                errors.add(join_path(path, name), ValidationError(message, code="unique"))
            taken.add(value)


def _check_sizes(plan: ContentPlan, product: Product, errors: ErrorCollector,
                 catalog: CatalogLookups) -> None:
    if not catalog.size_chart_required(product.category if product.category_id else None):
        return
    if plan.size_chart is not None:
        labels = [o.size_label for o in plan.size_chart.kept]
    else:
        labels = [o.size_label for o in product.size_chart_rows.all()] if product.pk else []
    untouched = []  # stored variants this write keeps as they are
    if plan.colours is None:
        untouched = _stored_variants(product)
    else:
        for index, colour in enumerate(plan.colours.kept):
            if index in plan.variants:
                rows = plan.variants[index]
                with errors.under("colours", index, "variants"):
                    variant_sizes_check(sizes=[v.size_label for v in rows.kept],
                                        chart_labels=labels)
            elif colour.pk:
                untouched += list(colour.variants.all())
    missing = [v for v in untouched if v.size_label not in labels]
    for variant in missing:
        errors.add("size_chart", ValidationError(
            "Variant %(sku)s is in size “%(size)s”, which the size chart would no longer list: "
            "keep the size in the chart.", code="size_in_use",
            params={"sku": variant.sku, "size": variant.size_label}))


# ----------------------------------------------------------------------------- the write
def _history_user(obj, user):
    if user is not None:
        obj._history_user = user
    return obj


def content_plan_write(*, plan: ContentPlan, product: Product, user=None) -> None:
    """Write a checked plan for a saved `product`: deletions first, so that a new row may take
    a value a deleted one held, then changed rows, then new rows in bulk with their history
    (a first import creates thousands of rows: one insert per list, not one per row)."""
    for rows in (plan.composition, plan.size_chart, plan.shipping, *plan.variants.values()):
        for obj in rows.deleted if rows else []:
            _history_user(obj, user).delete()
    reason = getattr(product, "_change_reason", None)
    for rows in (plan.composition, plan.size_chart, plan.shipping):
        if rows is None:
            continue
        for obj in rows.changed:
            obj.product = product
        _rows_saved(rows.changed, user=user, reason=reason)
    if plan.colours is None:
        return
    for colour in plan.colours.changed:
        colour.product = product
    before = {id(c): plan.names_before.get(c.pk) for c in plan.colours.changed}
    _rows_saved(plan.colours.changed, user=user, reason=reason)
    for colour in plan.colours.changed:
        colour_translation_stamps_record(colour=colour, before=before[id(colour)], user=user)
    variants = []
    for index, rows in plan.variants.items():
        for variant in rows.changed:
            variant.colour = plan.colours.kept[index]
            variants.append(variant)
    _rows_saved(variants, user=user, reason=reason)
    for colour in plan.colours.deleted:
        _history_user(colour, user).delete()


def _rows_saved(rows: list, *, user, reason) -> None:
    """Save changed rows one by one and create new ones in one insert, each with its history
    row. (Completeness is scheduled by the product's own save, which every change makes.)"""
    new = [obj for obj in rows if obj.pk is None]
    for obj in rows:
        if obj.pk is not None:
            _history_user(obj, user).save()
    if new:
        bulk_create_with_history(new, type(new[0]), default_user=user,
                                 default_change_reason=reason)


def colour_save(*, colour: Colour, user=None) -> Colour:
    """Save one colour (a renamed colour, a translated name): checked, its names stamped."""
    errors = ErrorCollector()
    errors.full_clean(colour)
    errors.raise_if_any()
    before = None
    if colour.pk:
        stored = Colour.objects.filter(pk=colour.pk).first()
        before = translation_texts(stored, ["name"]) if stored else None
    _history_user(colour, user).save()
    colour_translation_stamps_record(colour=colour, before=before, user=user)
    # The colour's columns of its product's export, without a new version of the product.
    import_digests_forget(product_ids=[colour.product_id])
    return colour


