"""Finding products by what people type: a code first, then words in every locale.

A term that looks like a code (one token with a digit: WD-24-0193, a SKU, a barcode) is looked
up by exact and prefix match on style code and SKU and by exact GTIN, in any GTIN length. Other
terms, or a code that matches nothing, are words: each must appear in a name or a description
in some locale. Results carry a `search_rank` (0 exact code, 1 code prefix, 2 a word in a name,
3 a word in a description) to order by.

On PostgreSQL every lookup here answers from an index (migration 0015: pattern-ops B-trees for
the code prefixes, trigram GIN indexes for the words); on SQLite the same queries scan.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Case, F, IntegerField, Lookup, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from modeltranslation.utils import build_localized_fieldname

from catalog.models import Product, Variant
from catalog.models.fields import gtin_normalize

# One token with a digit or a separator: WD-24-0193, CT-NAVY-M, 4006381333931.
CODE_LIKE = re.compile(r"^(?=.*[\d./_-])[\w./-]+$")
MAX_WORDS = 8


def searched_fields(name: str) -> list[str]:
    return [build_localized_fieldname(name, code) for code, _ in settings.LANGUAGES]


NAME_FIELDS = searched_fields("name")
TEXT_FIELDS = searched_fields("description")


class Matches(Lookup):
    """`field ILIKE pattern`, which PostgreSQL's trigram indexes serve (Django's `icontains`
    compiles to `UPPER(field) LIKE UPPER(pattern)`, which they do not)."""

    lookup_name = "matches"  # used as an expression, never registered on a field
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        # SQLite's LIKE ignores case (for ASCII letters, as Django's icontains does there).
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


def _contains(field: str, word: str) -> Matches:
    from django.db import connection

    return Matches(F(field), f"%{connection.ops.prep_for_like_query(word)}%")


def _any_field(fields: list[str], word: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(_contains(field, word))
    return condition


def _code_search(queryset: QuerySet, term: str) -> QuerySet:
    upper = term.upper()
    products = Product.objects.order_by()
    variants = Variant.objects.order_by().annotate(sku_upper=Upper("sku"))  # SKUs in any case
    exact = [products.filter(style_code=upper).values("pk"),
             variants.filter(sku_upper=upper).values("colour__product_id")]
    gtin = gtin_normalize(term)
    if gtin.isdigit() and len(gtin) == 14:
        exact.append(Variant.objects.order_by().filter(gtin=gtin).values("colour__product_id"))
    prefix = [products.filter(style_code__startswith=upper).values("pk"),
              variants.filter(sku_upper__startswith=upper).values("colour__product_id")]
    # One id list per index, united, so that each lookup is an index scan of its own.
    exact_ids = exact[0].union(*exact[1:])
    return queryset.filter(pk__in=prefix[0].union(prefix[1], exact_ids)).annotate(
        search_rank=Case(When(pk__in=exact_ids, then=Value(0)), default=Value(1),
                         output_field=IntegerField()))


def _word_search(queryset: QuerySet, words: list[str]) -> QuerySet:
    in_names = Q()
    anywhere = Q()
    for word in words:
        in_names &= _any_field(NAME_FIELDS, word)
        anywhere &= _any_field(NAME_FIELDS, word) | _any_field(TEXT_FIELDS, word)
    if len(words) == 1:
        anywhere |= Q(style_code__startswith=words[0].upper())
    return queryset.filter(anywhere).annotate(search_rank=Case(
        When(in_names, then=Value(2)), default=Value(3), output_field=IntegerField()))


def products_search(queryset: QuerySet[Product], term: str) -> QuerySet[Product]:
    """`queryset` narrowed to what `term` finds, annotated with `search_rank`."""
    words = term.split()
    if not words:
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    if len(words) == 1 and CODE_LIKE.match(words[0]):
        found = _code_search(queryset, words[0])
        if found.exists():
            return found
    if len(words) > 1 and all(w.isdigit() for w in words):  # a barcode typed with spaces
        found = _code_search(queryset, "".join(words))
        if found.exists():
            return found
    return _word_search(queryset, words[:MAX_WORDS])

