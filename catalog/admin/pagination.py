"""The product list's paginator: a page costs the same at any depth, with or without filters.

A page's ids come first, by an offset over the narrow ordered query (an index-only scan of the
ordering's covering index, migration 0022), then only those rows with their annotations. The
count is bounded: COUNT over at most ``count_cap`` rows (or a page past the one asked for), so
that a list of 100,000 products says "10,000+" instead of counting them all. A ranked search
takes its exact count from the page query itself (``COUNT(*) OVER ()``), with no second query.
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property


class KeysFirstPaginator(Paginator):
    count_cap = 10_000

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True,
                 number=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        try:
            self.requested = max(1, int(number or 1))  # the page the request asks for
        except (TypeError, ValueError):
            self.requested = 1
        self.count_bounded = False  # True when `count` is a lower bound
        self._ids: dict[int, list[int]] = {}

    @property
    def _keys(self) -> bool:
        return isinstance(self.object_list, QuerySet)

    @cached_property
    def count(self) -> int:
        if not self._keys:  # e.g. the history page's list
            return super().count
        if "search_rank" in self.object_list.query.annotations:
            found = self._ranked_count()
            if found is not None:
                return found
            return self.object_list.order_by().count()  # asked past the end: a plain count
        limit = max(self.count_cap, (self.requested + 1) * self.per_page)
        counted = self.object_list.order_by().values("pk")[:limit + 1].count()
        if counted > limit:
            self.count_bounded = True
            return limit
        return counted

    def _ranked_count(self) -> int | None:
        """The requested page's ids and the whole count, from one query."""
        bottom = (self.requested - 1) * self.per_page
        rows = list(self.object_list.annotate(found=Window(Count("pk")))
                    .values_list("pk", "found")[bottom:bottom + self.per_page])
        if not rows:
            return 0 if self.requested == 1 else None
        self._ids[self.requested] = [pk for pk, _ in rows]
        return rows[0][1]

    def page(self, number):
        if not self._keys:
            return super().page(number)
        number = self.validate_number(number)
        ids = self._ids.get(number)
        if ids is None:
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
