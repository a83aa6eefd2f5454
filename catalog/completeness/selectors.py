"""Completeness reads: badges for the product list, the product panel, filters, the dashboard."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet, Sum

from catalog.models import Channel, CompletenessTally, Product, ProductCompleteness

from .engine import locale_of

ANY_LOCALE = "*"


def completeness_lowest_relation(channel_id: int) -> FilteredRelation:
    """The product's stored lowest locale score for a channel (none before it is computed):
    what the product list sorts a channel's completeness by, through the (channel, lowest,
    product) index."""
    return FilteredRelation("completeness_lowest",
                            condition=Q(completeness_lowest__channel_id=channel_id))


@dataclass
class ChannelBadge:
    code: str
    name: str
    score: int  # the worst locale's
    scores: list[tuple[str, int]]

    @property
    def complete(self) -> bool:
        return self.score == 100

    @property
    def title(self) -> str:
        return f"{self.name}: " + ", ".join(f"{loc} {score} %" for loc, score in self.scores)


def completeness_badges(product: Product) -> list[ChannelBadge]:
    """Per channel, the product's locales and scores (one query; a list reads
    :func:`products_completeness_badges` instead)."""
    channels = list(Channel.objects.filter(completeness__product=product).distinct())
    return list(products_completeness_badges([product.pk], channels)[product.pk].values())


def products_completeness_badges(product_ids, channels) -> dict[int, dict[str, ChannelBadge]]:
    """Per product id, per channel code (in code order), the locales' scores: one query of
    plain rows for a whole page of products."""
    by_id = {channel.pk: channel for channel in channels}
    ids = list(product_ids)
    rows = (ProductCompleteness.objects.filter(product_id__in=ids, channel_id__in=list(by_id))
            .order_by("channel__code", "locale")
            .values_list("product_id", "channel_id", "locale", "score"))
    badges: dict[int, dict[str, ChannelBadge]] = {pk: {} for pk in ids}
    for product_id, channel_id, locale, score in rows:
        channel = by_id[channel_id]
        badge = badges[product_id].get(channel.code)
        if badge is None:
            badge = badges[product_id][channel.code] = ChannelBadge(channel.code, channel.name,
                                                                    100, [])
        badge.scores.append((locale, score))
        badge.score = min(badge.score, score)
    return badges


@dataclass
class PanelChannel:
    channel: Channel
    rows: list[ProductCompleteness]
    common: list[dict] = field(default_factory=list)  # failing in every locale
    by_locale: list[tuple[str, str, list[dict]]] = field(default_factory=list)  # code, label


def completeness_panel(product: Product) -> list[PanelChannel]:
    """What is missing, per channel: failures common to all its locales once, then the rest."""
    rows = list(product.completeness.select_related("channel").order_by("channel__code", "locale"))
    grouped: dict[int, PanelChannel] = {}
    for row in rows:
        grouped.setdefault(row.channel_id, PanelChannel(row.channel, [])).rows.append(row)
    for panel in grouped.values():
        keys = [{(f["code"], f["target"]) for f in row.failures} for row in panel.rows]
        common = set.intersection(*keys) if keys and len(keys) > 1 else set()
        first = panel.rows[0].failures if panel.rows else []
        panel.common = [f for f in first if (f["code"], f["target"]) in common]
        for row in panel.rows:
            own = [_with_actions(f, row.locale) for f in row.failures
                   if (f["code"], f["target"]) not in common]
            if own:
                panel.by_locale.append((row.locale, locale_of(row.locale).label, own))
    return list(grouped.values())


def _with_actions(failure: dict, locale: str) -> dict:
    """A failure as the panel shows it: whether its message names the locale, what to confirm."""
    code = failure["code"]
    shown = {**failure, "per_locale_message": code.startswith(("translation.", "description.too"))}
    if code.startswith("translation.outdated."):
        _, _, confirm_locale, name = code.split(".", 3)
        shown |= {"confirm_locale": confirm_locale, "confirm_field": name}
    return shown


def products_completeness_filter(queryset: QuerySet[Product], *, channel_code: str, locale: str,
                                 complete: bool) -> QuerySet[Product]:
    """Products (in)complete for a channel in a locale, or in any locale (``*``).

    Complete for any locale means complete in all of them; incomplete, in at least one. An
    EXISTS per product, which the completeness rows' unique (product, channel, locale) index
    answers, so that a list's first page stops at its first 50 matches.
    """
    rows = ProductCompleteness.objects.filter(product=OuterRef("pk"), channel__code=channel_code)
    if locale != ANY_LOCALE:
        rows = rows.filter(locale=locale)
    if complete:
        return queryset.filter(Exists(rows)).exclude(Exists(rows.filter(complete=False)))
    return queryset.filter(Exists(rows.filter(complete=False)))


@dataclass
class DashboardCell:
    complete: int = 0
    incomplete: int = 0
    average: float | None = None

    @property
    def total(self) -> int:
        return self.complete + self.incomplete

    @property
    def percent(self) -> int:
        return (100 * self.complete // self.total) if self.total else 0


def completeness_dashboard() -> dict:
    """Counts by channel and locale, and by category and channel, from the tally: a handful
    of queries over a few hundred rows, whatever the catalog's size."""
    channels = list(Channel.objects.order_by("code"))
    tally = CompletenessTally.objects.order_by()
    by_locale: dict[tuple[int, str], DashboardCell] = {}
    for row in tally.exclude(locale=CompletenessTally.ALL_LOCALES).values("channel_id", "locale").annotate(
        done=Sum("complete"), todo=Sum("incomplete"), scores=Sum("score_sum"),
    ):
        total = row["done"] + row["todo"]
        by_locale[(row["channel_id"], row["locale"])] = DashboardCell(
            row["done"], row["todo"], round(row["scores"] / total, 1) if total else 0)
    incomplete = defaultdict(int)
    for category_id, channel_id, count in tally.filter(locale=CompletenessTally.ALL_LOCALES, incomplete__gt=0) \
            .values_list("category_id", "channel_id", "incomplete"):
        incomplete[(category_id, channel_id)] = count
    products_in = dict(Product.objects.order_by().values("category_id").annotate(n=Count("pk"))
                       .values_list("category_id", "n"))
    return {
        "channels": [
            {"channel": c, "locales": [(locale_of(loc), by_locale.get((c.pk, loc), DashboardCell()))
                                       for loc in c.locales]}
            for c in channels
        ],
        "incomplete": incomplete,
        "products_in": products_in,
    }
