"""The completeness engine: facts for a batch of products in a constant number of queries, then
the registered rules for every product x channel x locale, in memory.

Reference data every batch shares (channels, and the category tree and brands of
:class:`catalog.loaders.ProductRulesLoader`) is loaded once per run into a
:class:`CompletenessContext`; ancestors, profile, returns, shipping and translation stamps come
from that loader, as publishing's do.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from modeltranslation.utils import build_localized_fieldname

from catalog.loaders import ProductRef, ProductRulesLoader
from catalog.models import (
    Channel,
    Colour,
    CompositionLine,
    Product,
    ProductVideo,
    SocialImage,
    SizeChartRow,
    Variant,
    source_hash,
)
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

from .rules import RULES, ChannelRules, Locale, ProductFacts

LANGUAGES = [code for code, _ in settings.LANGUAGES]


def locale_of(code: str) -> Locale:
    labels = {"en": "English", "fr": "French", "pl": "Polish", "zh-hans": "Chinese"}
    return Locale(
        code=code,
        suffix=build_localized_fieldname("x", code)[2:],
        label=labels.get(code) or dict(settings.LANGUAGES).get(code, code),
        is_source=code == settings.SOURCE_LANGUAGE,
    )


@dataclass(frozen=True)
class Result:
    score: int
    passed: int
    total: int
    complete: bool
    failures: list[dict]


class CompletenessContext:
    """What every batch of a run shares. A few queries, whatever the catalog's size."""

    def __init__(self, channels=None):
        if channels is None:
            channels = Channel.objects.all()
        self.channels = [
            ChannelRules(
                id=c.pk, code=c.code, name=c.name,
                locales=tuple(c.locales or ()), markets=tuple(c.markets or ()),
                required=frozenset(c.required_fields or ()), min_photos=c.min_photos,
                description_max_length=c.description_max_length,
            )
            for c in channels
        ]
        self.source = locale_of(settings.SOURCE_LANGUAGE)
        self.locales = {code: locale_of(code) for c in self.channels for code in c.locales}
        self.loader = ProductRulesLoader()  # the category tree and brands, once per run

    def required_for(self, channel: ChannelRules, category_id: int) -> frozenset[str]:
        """The channel's fields, less those the category's effective profile waives."""
        profile = self.loader.tree.profile(category_id)
        return channel.required if profile is None else channel.required & profile.required


def _product_fields() -> list[str]:
    localized = [build_localized_fieldname(name, lang)
                 for name in PRODUCT_TRANSLATED_FIELDS for lang in LANGUAGES]
    return ["id", "category_id", "brand_id", "returns_policy_id", "fit_type", "care_washing",
            "rating_count", *localized]


def load_facts(product_ids: list[int], context: CompletenessContext) -> list[ProductFacts]:
    """Facts of a batch of products: one query per kind of fact, whatever the batch size."""
    source = context.source.suffix
    colour_name_fields = [build_localized_fieldname("name", lang) for lang in LANGUAGES]
    facts: dict[int, ProductFacts] = {}
    rows = list(Product.objects.filter(pk__in=product_ids).values(*_product_fields()))
    rules = context.loader.load(ProductRef(r["id"], r["category_id"], r["brand_id"],
                                           r["returns_policy_id"]) for r in rows)
    for row in rows:
        pk = row.pop("id")
        category_id = row.pop("category_id")
        del row["brand_id"], row["returns_policy_id"]
        resolved = rules[pk]
        facts[pk] = ProductFacts(
            id=pk, texts=row, category_id=category_id, fit_type=row.pop("fit_type"),
            care_washing=row.pop("care_washing"), rating_count=row.pop("rating_count"),
            returns_policy=resolved.returns_policy, shipping=resolved.shipping,
            stamps=resolved.stamps,
        )
        for name in PRODUCT_TRANSLATED_FIELDS:
            facts[pk].source_hashes[(None, name)] = source_hash(row.get(f"{name}_{source}"))
    ids = list(facts)
    colours = {}
    for row in (Colour.objects.filter(product_id__in=ids).order_by("position", "id")
                .annotate(photo_count=Count("photos"))
                .values("id", "product_id", "code", "photo_count", *colour_name_fields)):
        colour = {
            "id": row["id"], "code": row["code"], "photos": row["photo_count"], "sizes": set(),
            "names": {f[len("name_"):]: row[f] for f in colour_name_fields if row[f]},
        }
        colours[row["id"]] = colour
        product = facts[row["product_id"]]
        product.colours.append(colour)
        product.source_hashes[(row["id"], "name")] = source_hash(colour["names"].get(source))
    for colour_id, size in Variant.objects.filter(colour__product_id__in=ids).values_list(
        "colour_id", "size_label"
    ):
        colours[colour_id]["sizes"].add(size)
    for product_id, size in SizeChartRow.objects.filter(product_id__in=ids).values_list(
        "product_id", "size_label"
    ):
        facts[product_id].chart_sizes.add(size)
    for product_id, part, percentage in CompositionLine.objects.filter(
        product_id__in=ids
    ).values_list("product_id", "part", "percentage"):
        totals = facts[product_id].composition
        totals[part] = totals.get(part, Decimal(0)) + percentage
    for product_id in ProductVideo.objects.filter(product_id__in=ids).values_list(
        "product_id", flat=True
    ):
        facts[product_id].has_video = True
    for product_id, ratio in SocialImage.objects.filter(product_id__in=ids).values_list(
        "product_id", "ratio"
    ):
        facts[product_id].social_ratios.add(ratio)
    return list(facts.values())


def evaluate(facts: ProductFacts, context: CompletenessContext,
             channels: list[ChannelRules] | None = None) -> dict[tuple[int, str], Result]:
    """Results for one product, keyed by (channel id, locale code)."""
    results = {}
    source = context.source
    for channel in channels or context.channels:
        required = context.required_for(channel, facts.category_id)
        rules = [RULES[name] for name in RULES if name in required]
        base_total, base_failures = 0, []
        for rule in rules:
            if not rule.per_locale:
                total, failures = rule.run(facts, channel, None, source, required)
                base_total += total
                base_failures += failures
        for code in channel.locales:
            locale = context.locales[code]
            total, failures = base_total, list(base_failures)
            for rule in rules:
                if rule.per_locale:
                    more, found = rule.run(facts, channel, locale, source, required)
                    total += more
                    failures += found
            passed = total - len(failures)
            score = 100 if total == 0 else (100 * passed) // total
            results[(channel.id, code)] = Result(score, passed, total, not failures, failures)
    return results
