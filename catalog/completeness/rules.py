"""Completeness checks, one small registered class per content field (DOMAIN sections 4 and 5).

A rule looks at the facts the engine loaded for one product (plain dicts and tuples, no
queries) and answers how many checks it ran and which of them failed. Each failure carries a
stable machine code, a human message, the content field it concerns, its target (a colour,
a size, a market, a locale) and the HTML anchor of the place on the product page to fix it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django_countries import countries

from catalog.models import ContentField, ReturnsPolicy, ShippingRate

HUNDRED = Decimal(100)
SOCIAL_RATIOS = ("1x1", "4x5", "9x16")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")

# Translated product fields and the content field that makes each of them required.
TRANSLATED_FIELD_OWNER = {
    "name": None,  # always
    "description": ContentField.DESCRIPTION,
    "material_text": ContentField.COMPOSITION,
    "fit_description": ContentField.FIT,
    "size_advice": ContentField.SIZE_CHART,
    "care_text": ContentField.CARE,
}
FIELD_LABELS = {
    "name": "name",
    "description": "editorial description",
    "material_text": "fabric notes",
    "fit_description": "fit description",
    "size_advice": "size advice",
    "care_text": "care instructions",
    "colour_name": "colour name",
}


def text_length(value: str | None) -> int:
    """Characters of text a reader sees in sanitised HTML: no tags, entities as one."""
    if not value:
        return 0
    return len(_SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip())


def failure(code: str, message: str, field: str, target: str = "", anchor: str = "") -> dict:
    return {"code": code, "message": message, "field": field, "target": target, "anchor": anchor}


@dataclass
class ProductFacts:
    """Everything the rules need about one product, loaded in batch by the engine."""

    id: int
    texts: dict[str, str]  # localized field name (``description_fr``) -> text
    category_id: int
    fit_type: str = ""
    care_washing: str = ""
    rating_count: int = 0
    returns_policy: ReturnsPolicy | None = None  # resolved by catalog.loaders
    colours: list[dict] = field(default_factory=list)  # id, code, names{lang}, photos, sizes
    chart_sizes: set[str] = field(default_factory=set)
    composition: dict[str, Decimal] = field(default_factory=dict)  # part -> total %
    shipping: dict[str, ShippingRate] = field(default_factory=dict)  # market -> rate
    has_video: bool = False
    social_ratios: set[str] = field(default_factory=set)
    stamps: dict[tuple, str] = field(default_factory=dict)  # (colour_id, field, locale) -> hash
    memo: dict = field(default_factory=dict)  # what rules share between channels
    source_hashes: dict[tuple, str] = field(default_factory=dict)  # (colour_id, field) -> hash

    def text(self, name: str, lang: str) -> str:
        return self.texts.get(f"{name}_{lang}") or ""


@dataclass(frozen=True)
class ChannelRules:
    """What one channel asks, in the engine's terms."""

    id: int
    code: str
    name: str
    locales: tuple[str, ...]
    markets: tuple[str, ...]
    required: frozenset[str]
    min_photos: int
    description_max_length: int | None


@dataclass(frozen=True)
class Locale:
    code: str  # as channels name it: zh-hans
    suffix: str  # as translated fields name it: zh_hans
    label: str
    is_source: bool


class Rule:
    """A check of one content field. ``per_locale`` rules run once for each locale."""

    field: str = ""
    per_locale = False

    def run(self, facts: ProductFacts, channel: ChannelRules, locale: Locale | None,
            source: Locale, required: frozenset[str]) -> tuple[int, list[dict]]:
        """``required``: the fields the channel and the product's category profile ask for."""
        raise NotImplementedError


RULES: dict[str, Rule] = {}


def register(rule_class: type[Rule]) -> type[Rule]:
    RULES[rule_class.field] = rule_class()
    return rule_class


@register
class PhotosRule(Rule):
    field = ContentField.PHOTOS.value

    def run(self, facts, channel, locale, source, required):
        if not facts.colours:
            return 1, [failure("photos.no_colours", "No colour yet: add a colour and its photos.",
                               self.field, anchor="colours-group")]
        failures = []
        for colour in facts.colours:
            if colour["photos"] < channel.min_photos:
                name = colour["names"].get(source.suffix) or colour["code"]
                failures.append(failure(
                    "photos.min_count",
                    f"{name}: {colour['photos']} of {channel.min_photos} photos",
                    self.field, colour["code"], "colours-group",
                ))
        return len(facts.colours), failures


@register
class CompositionRule(Rule):
    field = ContentField.COMPOSITION.value

    def run(self, facts, channel, locale, source, required):
        if not facts.composition:
            return 1, [failure("composition.missing",
                               "No composition: list the fibres of each part.",
                               self.field, anchor="composition_lines-group")]
        failures = [
            failure("composition.sum", f"{part.capitalize()} sums to {total.normalize()} %, "
                    "not 100 %.", self.field, part, "composition_lines-group")
            for part, total in sorted(facts.composition.items()) if total != HUNDRED
        ]
        return len(facts.composition), failures


@register
class FitRule(Rule):
    field = ContentField.FIT.value

    def run(self, facts, channel, locale, source, required):
        failures = []
        if not facts.fit_type:
            failures.append(failure("fit.type_missing", "No fit type (slim, regular…).",
                                    self.field, anchor="id_fit_type"))
        if not facts.text("fit_description", source.suffix):
            failures.append(failure("fit.description_missing", "No fit description.",
                                    self.field, anchor=f"id_fit_description_{source.suffix}"))
        return 2, failures


@register
class SizeChartRule(Rule):
    field = ContentField.SIZE_CHART.value

    def run(self, facts, channel, locale, source, required):
        if not facts.chart_sizes:
            return 1, [failure("size_chart.missing", "No size chart.", self.field,
                               anchor="size_chart_rows-group")]
        sizes = sorted({size for colour in facts.colours for size in colour["sizes"]})
        failures = [
            failure("size_chart.size_missing",
                    f"Size {size} is sold but not in the size chart.", self.field, size,
                    "size_chart_rows-group")
            for size in sizes if size not in facts.chart_sizes
        ]
        return 1 + len(sizes), failures


@register
class DescriptionRule(Rule):
    field = ContentField.DESCRIPTION.value
    per_locale = True

    def run(self, facts, channel, locale, source, required):
        if not facts.text("description", source.suffix):
            return 1, [failure("description.missing", "No editorial description.", self.field,
                               anchor=f"id_description_{source.suffix}")]
        if channel.description_max_length is None:
            return 1, []
        key = ("description_length", locale.code)
        if key not in facts.memo:
            text = (facts.text("description", locale.suffix)
                    or facts.text("description", source.suffix))
            facts.memo[key] = text_length(text)
        length = facts.memo[key]
        if length > channel.description_max_length:
            return 2, [failure(
                "description.too_long",
                f"{locale.label} description: {length:,} characters; {channel.name} takes at "
                f"most {channel.description_max_length:,}.",
                self.field, locale.code, f"id_description_{locale.suffix}",
            )]
        return 2, []


@register
class CareRule(Rule):
    field = ContentField.CARE.value

    def run(self, facts, channel, locale, source, required):
        if not facts.care_washing:
            return 1, [failure("care.washing_missing", "No washing symbol (ISO 3758).",
                               self.field, anchor="id_care_washing")]
        return 1, []


@register
class ReturnsRule(Rule):
    field = ContentField.RETURNS.value

    def run(self, facts, channel, locale, source, required):
        if facts.returns_policy is None:
            return 1, [failure("returns.missing", "No returns policy applies.", self.field,
                               anchor="id_returns_policy")]
        return 1, []


@register
class ShippingRule(Rule):
    field = ContentField.SHIPPING.value

    def run(self, facts, channel, locale, source, required):
        if not channel.markets:
            return 0, []
        failures = [
            failure("shipping.market_missing",
                    f"No shipping cost and delivery time to {countries.name(market) or market}.",
                    self.field, market, "shipping_rates-group")
            for market in channel.markets if market not in facts.shipping
        ]
        return len(channel.markets), failures


@register
class TranslationsRule(Rule):
    """Every translated text present in the locale, and written against the current source."""

    field = ContentField.TRANSLATIONS.value
    per_locale = True

    def run(self, facts, channel, locale, source, required):
        if locale.is_source:
            return 0, []
        owners = frozenset(o for o in TRANSLATED_FIELD_OWNER.values() if o in required)
        key = ("translations", locale.code, owners)
        if key not in facts.memo:
            facts.memo[key] = self._check(facts, locale, source, owners)
        total, failures = facts.memo[key]
        return total, list(failures)

    def _check(self, facts, locale, source, owners):
        total, failures = 0, []
        for name, owner in TRANSLATED_FIELD_OWNER.items():
            if owner is not None and owner not in owners:
                continue
            if not facts.text(name, source.suffix):
                continue  # nothing to translate; the field's own check reports it
            total += 1
            problem = self._problem(facts, None, name, facts.text(name, locale.suffix), locale)
            if problem:
                failures.append(failure(
                    f"translation.{problem}.{locale.code}.{name}",
                    f"{locale.label} {FIELD_LABELS[name]}: "
                    + ("outdated, the English text changed since it was translated."
                       if problem == "outdated" else "not translated."),
                    self.field, locale.code, f"id_{name}_{locale.suffix}",
                ))
        for colour in facts.colours:
            if not colour["names"].get(source.suffix):
                continue
            total += 1
            problem = self._problem(facts, colour["id"], "name", colour["names"].get(locale.suffix),
                                    locale)
            if problem:
                failures.append(failure(
                    f"translation.{problem}.{locale.code}.colour_name",
                    f"{locale.label} colour name of {colour['names'][source.suffix]}: "
                    + ("outdated." if problem == "outdated" else "not translated."),
                    self.field, colour["code"], "colours-group",
                ))
        return total, failures

    @staticmethod
    def _problem(facts, colour_id, name, translated, locale) -> str | None:
        if not translated:
            return "missing"
        stamp = facts.stamps.get((colour_id, name, locale.code))
        if stamp is not None and stamp != facts.source_hashes[(colour_id, name)]:
            return "outdated"
        return None


@register
class VideoRule(Rule):
    field = ContentField.VIDEO.value

    def run(self, facts, channel, locale, source, required):
        if not facts.has_video:
            return 1, [failure("video.missing", "No video.", self.field,
                               anchor="video-group")]
        return 1, []


@register
class SocialImagesRule(Rule):
    field = ContentField.SOCIAL_IMAGES.value

    def run(self, facts, channel, locale, source, required):
        failures = [
            failure("social_images.ratio_missing", f"No {ratio.replace('x', ':')} social-media "
                    "image.", self.field, ratio, "social_images-group")
            for ratio in SOCIAL_RATIOS if ratio not in facts.social_ratios
        ]
        return len(SOCIAL_RATIOS), failures


@register
class RatingsRule(Rule):
    field = ContentField.RATINGS.value

    def run(self, facts, channel, locale, source, required):
        if not facts.rating_count:
            return 1, [failure("ratings.missing", "No customer ratings yet.", self.field,
                               anchor="id_rating_average")]
        return 1, []
