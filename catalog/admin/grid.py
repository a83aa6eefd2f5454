"""The product grid: the product list's columns and filters.

One row per style: its cover thumbnail, code and name, where it sits, its workflow status and,
per channel, the completeness of each locale and what the channel serves (the published
version and date, and whether the product was edited since that approval). A channel's column
sorts by its lowest locale score. Filters are drop-downs above the grid; categories, brands,
seasons and statuses take several values, completeness one channel x locale x state.
Every row's data comes with the page's own queries, however many rows it shows.
"""
from __future__ import annotations

from functools import lru_cache

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from catalog.admin.completeness import CompletenessFilter
from catalog.completeness.selectors import (
    completeness_lowest_relation,
    products_completeness_badges,
)
from catalog.models import Brand, Category, Channel, Product, Season
from catalog.selectors import category_path_labels, products_publication

LOWEST_SCORE = "lowest_score_%d"


class MultiChoiceFilter(admin.SimpleListFilter):
    """A drop-down of checkboxes: the products matching any of the values chosen.

    Values come as repeated parameters (``?brand=1&brand=4``) or comma-separated; a value
    that is not among the choices is left out, and the user told so.
    """

    template = "admin/catalog/product/grid_filter_multi.html"
    field = None  # what the values are matched against, e.g. "brand_id"

    def __init__(self, request, params, model, model_admin):
        given = list(params.get(self.parameter_name, []))
        super().__init__(request, params, model, model_admin)
        known = {str(value) for value, _ in self.lookup_choices}
        values = [v.strip() for item in given for v in item.split(",") if v.strip()]
        if unknown := [v for v in values if v not in known]:
            messages.warning(request, f"Unknown {self.title} left out of the filter: "
                                      f"{', '.join(unknown)}.")
        self.chosen = list(dict.fromkeys(v for v in values if v in known))
        self.used_parameters.pop(self.parameter_name, None)
        if self.chosen:
            self.used_parameters[self.parameter_name] = self.chosen

    def value(self):
        return self.chosen

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {"value": str(value), "display": label, "selected": str(value) in self.chosen}

    def queryset(self, request, queryset):
        if not self.chosen:
            return queryset
        return queryset.filter(**{f"{self.field}__in": self.chosen})


class CategoriesFilter(MultiChoiceFilter):
    """Any nodes of the tree: a department brings all its categories' products."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return sorted(_category_labels(request).items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if not self.chosen:
            return queryset
        branches = Q()
        for path in Category.objects.filter(pk__in=self.chosen).values_list("path", flat=True):
            branches |= Q(category__path__startswith=path)
        return queryset.filter(branches)


class BrandsFilter(MultiChoiceFilter):
    title = "brand"
    parameter_name = "brand"
    field = "brand_id"

    def lookups(self, request, model_admin):
        return Brand.objects.order_by("name").values_list("pk", "name")


class SeasonsFilter(MultiChoiceFilter):
    title = "season"
    parameter_name = "season"
    field = "season_id"

    def lookups(self, request, model_admin):
        return Season.objects.order_by("-code").values_list("pk", "name")


class StatusesFilter(MultiChoiceFilter):
    title = "status"
    parameter_name = "status"
    field = "status"

    def lookups(self, request, model_admin):
        return Product.Status.choices


class CompletenessSelectFilter(CompletenessFilter):
    template = "admin/catalog/product/grid_filter_select.html"

    def lookups(self, request, model_admin):
        return self.channel_choices(_channels(request))


def _category_labels(request) -> dict[int, str]:
    if not hasattr(request, "_grid_category_labels"):
        request._grid_category_labels = category_path_labels()
    return request._grid_category_labels


def _channels(request) -> list[Channel]:
    if not hasattr(request, "_grid_channels"):
        request._grid_channels = list(Channel.objects.order_by("code"))
    return request._grid_channels


def _day(moment) -> str:
    return _date_label(localtime(moment).date())


@lru_cache(maxsize=1024)
def _date_label(day) -> str:
    return date_format(day, "j M y")


@lru_cache(maxsize=4096)
def _score_html(locale: str, score: int) -> str:
    # A page shows hundreds of scores from a few hundred distinct (locale, score) pairs.
    band = "complete" if score == 100 else "near" if score >= 75 else "far"
    return (f'<span class="grid-score grid-score-{band}">'
            f'{escape(locale.split("-")[0].upper())} {score}</span>')


class GridChangeList(ChangeList):
    """The page's rows with their scores and publication, read once for all of them.

    Row links carry the list's filters as the admin's do, added here once per row: the admin
    adds them to each link by resolving its URL (two links a row, 100 resolves a page)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Read by the row links only (items_for_result); the page's other links use the
        # view's own context.
        self.link_filters, self.preserved_filters = self.preserved_filters, ""
        self._result_urls = {}

    def url_for_result(self, result):
        url = self._result_urls.get(result.pk)
        if url is None:
            url = super().url_for_result(result)
            if self.link_filters:
                url = f"{url}?{self.link_filters}"
            self._result_urls[result.pk] = url
        return url

    def get_results(self, request):
        super().get_results(request)
        channels = _channels(request)
        badges = products_completeness_badges([p.pk for p in self.result_list], channels)
        publication = products_publication(self.result_list, channels)
        for product in self.result_list:
            product.grid_badges = badges[product.pk]
            product.grid_publication = publication[product.pk]


class ProductGridAdminMixin:
    """For the product admin: the grid's columns, sorting and filters."""

    list_display_links = ("cover", "style")
    list_filter = (CategoriesFilter, BrandsFilter, SeasonsFilter, StatusesFilter,
                   CompletenessSelectFilter)
    list_select_related = ("brand", "season", "category")
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/catalog/product/change_list.html"

    def get_changelist(self, request, **kwargs):
        return GridChangeList

    def get_list_display(self, request):
        # Made once per request: the admin compares columns by identity (sortable_by).
        if not hasattr(request, "_grid_columns"):
            channels = _channels(request)
            request._grid_columns = [
                "cover", "style", self._category_column(request), "brand_season", "status_label",
                *(self._channel_column(channel) for channel in channels), "updated"]
        return request._grid_columns

    def get_queryset(self, request):
        products = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if not (match and match.url_name == "catalog_product_changelist"):
            return products
        # Joined only when the list is sorted by a channel.
        lowest = {LOWEST_SCORE % channel.pk: completeness_lowest_relation(channel.pk)
                  for channel in _channels(request)}
        return products.alias(**lowest)

    @admin.display(description="style", ordering="style_code")
    def style(self, obj):
        return format_html('<span class="grid-code">{}</span><span class="grid-name">{}</span>',
                           obj.style_code, obj.name)

    def _category_column(self, request):
        labels = _category_labels(request)

        @admin.display(description="category", ordering="category__path")
        def category(obj):
            *parents, leaf = labels.get(obj.category_id, obj.category.name).split(" > ")
            return format_html('<span class="grid-path grid-muted">{}</span>{}',
                               " › ".join(parents), leaf)

        return category

    @admin.display(description="brand, season", ordering="brand__name")
    def brand_season(self, obj):
        return format_html('{}<br><span class="grid-muted" title="{}">{}</span>', obj.brand.name,
                           obj.season.name, obj.season.code)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return format_html('<span class="grid-status grid-status-{}">{}</span>', obj.status,
                           obj.get_status_display())

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return format_html('<time datetime="{}">{}</time>', obj.updated_at.isoformat(),
                           _day(obj.updated_at))

    def _channel_column(self, channel):
        def column(obj):
            return self.channel_cell(obj, channel)

        column.__name__ = f"channel_{channel.code.replace('-', '_')}"
        # Not computed yet counts as least complete, on every database.
        lowest = F(f"{LOWEST_SCORE % channel.pk}__lowest").asc(nulls_first=True)
        return admin.display(description=channel.code, ordering=lowest)(column)

    def channel_cell(self, obj, channel):
        """The channel's locales with their scores, then what the channel serves."""
        badge = obj.grid_badges.get(channel.code)
        if badge:
            scores = "".join(_score_html(locale, score) for locale, score in badge.scores)
        else:
            scores = '<span class="grid-muted">not computed</span>'
        published = obj.grid_publication.get(channel.pk)
        if published is None:
            live = '<span class="grid-muted">not published</span>'
        else:
            live = (f'<span class="grid-live">v{published.version} · '
                    f'{escape(_day(published.published_at))}</span>')
            if published.edited_since_approval:
                live += ' <span class="grid-edited">edited since approval</span>'
        return mark_safe(f'<div class="grid-scores">{scores}</div>'
                         f'<div class="grid-publication">{live}</div>')
