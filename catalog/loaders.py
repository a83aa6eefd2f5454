"""The batch loader of what a product's rules need, shared by completeness, publishing and the API.

One place resolves the inheritance DOMAIN sections 2 and 4 describe:
- category ancestors, root first;
- the effective content profile: the nearest ancestor-or-self that has one;
- the returns policy: the product's, else the nearest category's, else the brand's;
- shipping per market: the product's rate, else the nearest category's, else the brand's;
- translation stamps.

The category tree and the brands are read once per loader (two queries); each batch of
products then costs two queries (rates of every scope, stamps) and a third only when a product
has a returns policy of its own that no brand or category uses. Keep one loader for a run of
batches (completeness does); build one per use otherwise.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from catalog.models import (
    Brand,
    Category,
    ContentProfile,
    Product,
    ReturnsPolicy,
    ShippingRate,
    TranslationStamp,
)


class ProductRef(NamedTuple):
    """What the loader reads of a product; a `Product` has these attributes too."""

    id: int
    category_id: int
    brand_id: int
    returns_policy_id: int | None


@dataclass(frozen=True, slots=True)
class ProductRules:
    """What a product's rules need, resolved."""

    id: int
    ancestors: tuple[Category, ...]  # root first, the product's own category last
    profile: ContentProfile | None
    returns_policy: ReturnsPolicy | None
    shipping: dict[str, ShippingRate]  # market (country code) -> the rate that applies
    # (colour id or None, field, locale) -> hash of the source the translation was made from
    stamps: dict[tuple[int | None, str, str], str] = field(default_factory=dict)


class CategoryTree:
    """Every category in tree order, with its ancestors, profile and returns policy resolved.

    One query, whatever the depth or the size of the tree.
    """

    def __init__(self):
        self.categories: list[Category] = list(
            Category.objects.select_related("content_profile", "returns_policy").order_by("path")
        )
        by_path = {c.path: c for c in self.categories}
        step = Category.steplen
        self._ancestors: dict[int, tuple[Category, ...]] = {}
        self._profile: dict[int, ContentProfile | None] = {}
        self._returns_policy: dict[int, ReturnsPolicy | None] = {}
        for node in self.categories:  # parents come before their children
            parent = by_path.get(node.path[:-step]) if node.depth > 1 else None
            chain = (*self._ancestors[parent.pk], node) if parent else (node,)
            self._ancestors[node.pk] = chain
            self._profile[node.pk] = node.content_profile or (
                self._profile[parent.pk] if parent else None)
            self._returns_policy[node.pk] = node.returns_policy or (
                self._returns_policy[parent.pk] if parent else None)

    def __iter__(self):
        return iter(self.categories)

    def ancestors(self, category_id: int) -> tuple[Category, ...]:
        """The category and its ancestors, root first."""
        return self._ancestors[category_id]

    def parent(self, category_id: int) -> Category | None:
        chain = self._ancestors[category_id]
        return chain[-2] if len(chain) > 1 else None

    def profile(self, category_id: int) -> ContentProfile | None:
        """The profile of the nearest ancestor-or-self that has one."""
        return self._profile[category_id]

    def returns_policy(self, category_id: int) -> ReturnsPolicy | None:
        """The policy of the nearest ancestor-or-self that has one."""
        return self._returns_policy[category_id]


class ProductRulesLoader:
    """Loads `ProductRules` for batches of products in a constant number of queries."""

    def __init__(self):
        self._tree: CategoryTree | None = None
        self._brand_policies: dict[int, ReturnsPolicy | None] | None = None

    @property
    def tree(self) -> CategoryTree:
        if self._tree is None:
            self._tree = CategoryTree()
        return self._tree

    @property
    def brand_policies(self) -> dict[int, ReturnsPolicy | None]:
        """Each brand's default returns policy."""
        if self._brand_policies is None:
            self._brand_policies = {
                brand.pk: brand.returns_policy
                for brand in Brand.objects.select_related("returns_policy")
            }
        return self._brand_policies

    def load(self, products: Iterable[ProductRef | Product], *, stamps: bool = True
             ) -> dict[int, ProductRules]:
        """`ProductRules` of each product, by id. `stamps=False` skips the stamps' query."""
        products = list(products)
        if not products:
            return {}
        tree = self.tree
        ids = [p.id for p in products]
        category_ids = {node.pk for p in products for node in tree.ancestors(p.category_id)}
        brand_ids = {p.brand_id for p in products}
        brand_policies = self.brand_policies
        known = {policy.pk: policy for policy in (
            *(tree.returns_policy(c) for c in category_ids), *brand_policies.values(),
        ) if policy is not None}
        own = {p.returns_policy_id for p in products if p.returns_policy_id} - set(known)
        if own:
            known |= ReturnsPolicy.objects.in_bulk(own)

        by_scope: dict[tuple[str, int], dict[str, ShippingRate]] = {}
        for rate in ShippingRate.objects.filter(
            Q(product__in=ids) | Q(category__in=category_ids)
            | Q(brand__in=brand_ids, category__isnull=True, product__isnull=True)
        ):
            if rate.product_id:
                scope = ("product", rate.product_id)
            elif rate.category_id:  # one rate per category and market, whatever the brand
                scope = ("category", rate.category_id)
            else:
                scope = ("brand", rate.brand_id)
            by_scope.setdefault(scope, {})[rate.country.code] = rate

        stamps_of: dict[int, dict] = {}
        if stamps:
            for product_id, colour_id, name, locale, digest in TranslationStamp.objects.filter(
                product_id__in=ids
            ).values_list("product_id", "colour_id", "field", "locale", "source_hash"):
                stamps_of.setdefault(product_id, {})[(colour_id, name, locale)] = digest

        result = {}
        for product in products:
            ancestors = tree.ancestors(product.category_id)
            if product.returns_policy_id:
                policy = known[product.returns_policy_id]
            else:
                policy = (tree.returns_policy(product.category_id)
                          or brand_policies.get(product.brand_id))
            shipping = dict(by_scope.get(("brand", product.brand_id), {}))
            for node in ancestors:  # root first, so nearer categories win
                shipping.update(by_scope.get(("category", node.pk), {}))
            shipping.update(by_scope.get(("product", product.id), {}))
            result[product.id] = ProductRules(
                id=product.id, ancestors=ancestors, profile=tree.profile(product.category_id),
                returns_policy=policy, shipping=shipping, stamps=stamps_of.get(product.id, {}),
            )
        return result
