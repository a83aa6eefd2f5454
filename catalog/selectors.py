"""Reads of the catalog that own their query shape."""
from dataclasses import dataclass
from datetime import datetime

from django.core.files.storage import default_storage
from django.db.models import F, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length, Substr

from media import conf as media_settings
from media.models import Rendition
from media.renditions.specs import canonical_spec

from .models import Category, Product, ProductPhoto

from .loaders import CategoryTree


def category_path_labels() -> dict[int, str]:
    """Every category's "Women > Dresses > Long dresses" label, from one query."""
    tree = CategoryTree()
    return {node.pk: " > ".join(c.name for c in tree.ancestors(node.pk)) for node in tree}


def category_effective_profile_subquery(field: str = "content_profile__name") -> Subquery:
    """The nearest ancestor-or-self profile of OuterRef("path"), for annotating categories."""
    carriers = (
        Category.objects.annotate(path_length=Length("path"))
        .filter(content_profile__isnull=False, path_length__lte=Length(OuterRef("path")))
        .filter(path=Substr(OuterRef("path"), 1, F("path_length")))
        .order_by("-depth")
        .values(field)[:1]
    )
    return Subquery(carriers)


def category_products_subquery() -> Coalesce:
    """How many products sit in OuterRef("path")'s branch (the category and everything below)."""
    products = (
        Product.objects.filter(category__path__startswith=OuterRef("path")).order_by()
        .annotate(total=Func(F("pk"), function="COUNT")).values("total")
    )
    return Coalesce(Subquery(products), 0)


def translation_waiting(*, locales, product_ids=None) -> dict[int, dict[str, dict[str, list]]]:
    """What waits for translation in `locales`, per product: {product id: {locale:
    {"missing": [fields], "outdated": [fields]}}}, only for products with something waiting.

    Missing: the English text exists, the translation does not. Outdated: the translation's
    stamp was written against another English text. Colour names count as "colour_name".
    A few queries whatever the number of products.
    """
    from django.conf import settings
    from modeltranslation.utils import build_localized_fieldname as localized

    from .models import Colour, Product, TranslationStamp, source_hash
    from .translation import PRODUCT_TRANSLATED_FIELDS

    locales = list(locales)
    if not locales:
        return {}
    source = settings.SOURCE_LANGUAGE
    products = Product.objects.order_by()
    colours = Colour.objects.order_by()
    stamps = TranslationStamp.objects.filter(locale__in=locales)
    if product_ids is not None:
        products = products.filter(pk__in=list(product_ids))
        colours = colours.filter(product_id__in=list(product_ids))
        stamps = stamps.filter(product_id__in=list(product_ids))
    stamp_of = {(s[0], s[1], s[2], s[3]): s[4] for s in
                stamps.values_list("product_id", "colour_id", "field", "locale", "source_hash")}
    result: dict[int, dict[str, dict[str, list]]] = {}

    def check(product_id, colour_id, name, label, row):
        text = row[localized(name, source)]
        if not text:
            return
        for locale in locales:
            problem = None
            if not row[localized(name, locale)]:
                problem = "missing"
            else:
                stamp = stamp_of.get((product_id, colour_id, name, locale))
                if stamp is not None and stamp != source_hash(text):
                    problem = "outdated"
            if problem:
                state = result.setdefault(product_id, {}).setdefault(
                    locale, {"missing": [], "outdated": []})
                state[problem].append(label)

    names = [localized(n, loc) for n in PRODUCT_TRANSLATED_FIELDS for loc in [source, *locales]]
    for row in products.values("pk", *names):
        for name in PRODUCT_TRANSLATED_FIELDS:
            check(row["pk"], None, name, name, row)
    colour_names = [localized("name", loc) for loc in [source, *locales]]
    for row in colours.values("pk", "product_id", *colour_names):
        check(row["product_id"], row["pk"], "name", "colour_name", row)
    return result


def translation_sources_before(*, product_id: int, hashes: dict[str, str],
                               limit: int = 500) -> dict[str, str]:
    """The English text each outdated translation was written against, from history.

    ``hashes``: {field: the stamp's source hash}. Searched in the product's history, newest
    first (at most ``limit`` records); a field whose text is not found there is absent.
    """
    from django.conf import settings
    from modeltranslation.utils import build_localized_fieldname as localized

    from .models import Product, source_hash

    columns = {name: localized(name, settings.SOURCE_LANGUAGE) for name in hashes}
    found: dict[str, str] = {}
    records = (Product.history.filter(id=product_id).order_by("-history_date", "-history_id")
               .values_list(*columns.values())[:limit])
    for row in records:
        for (name, _), text in zip(columns.items(), row):
            if name not in found and source_hash(text) == hashes[name]:
                found[name] = text or ""
        if len(found) == len(hashes):
            break
    return found


def colour_photos(colour) -> QuerySet[ProductPhoto]:
    return ProductPhoto.objects.filter(colour=colour).select_related("asset").order_by("position", "id")


def products_with_cover(products: QuerySet) -> QuerySet:
    """Annotate products with their cover photo: the first photo of the first colour.

    ``cover_asset_id`` is that photo's asset and ``cover_thumbnail`` the storage name of its
    admin thumbnail (None while it is being made), in the list's own query.
    """
    spec = canonical_spec(media_settings.get("MEDIA_THUMBNAIL_SPEC"))

    def cover_asset(product_ref):
        return Subquery(ProductPhoto.objects.filter(colour__product=product_ref)
                        .order_by("colour__position", "colour_id", "position", "id")
                        .values("asset_id")[:1])

    thumbnail = Rendition.objects.filter(spec=spec, asset_id=cover_asset(OuterRef(OuterRef("pk"))))
    return products.annotate(cover_asset_id=cover_asset(OuterRef("pk")),
                             cover_thumbnail=Subquery(thumbnail.values("file")[:1]))


def cover_thumbnail_url(product) -> str | None:
    name = getattr(product, "cover_thumbnail", None)
    return default_storage.url(name) if name else None


@dataclass
class ChannelPublication:
    """What a channel serves of a product: the live snapshot's version and date, and whether
    the working copy changed after the approval that published it."""

    version: int
    published_at: datetime
    edited_since_approval: bool


def products_publication(products, channels) -> dict[int, dict[int, ChannelPublication]]:
    """Per product id, per channel id, where each of `products` is live: two queries for the
    whole list, read as plain rows (a page of products has hundreds of snapshots).

    The version and date are the newest among the channel's locales. Edited since approval:
    the product's version moved on from the one its latest approval for that channel saw."""
    from .models import ProductSnapshot, ProductTransition

    versions = {product.pk: product.version for product in products}
    code_of = {channel.pk: channel.code for channel in channels}
    live = (ProductSnapshot.objects.filter(deleted=False, product_id__in=list(versions))
            .order_by()
            .values_list("product_id", "channel_id", "version", "published_at"))
    approvals: dict[int, list[tuple[list, int]]] = {}
    for product_id, codes, version in (
            ProductTransition.objects.filter(action=ProductTransition.Action.APPROVE,
                                             product_id__in=list(versions))
            .order_by("-created_at", "-id").values_list("product_id", "channels",
                                                        "product_version")):
        approvals.setdefault(product_id, []).append((codes, version))
    result: dict[int, dict[int, ChannelPublication]] = {pk: {} for pk in versions}
    for product_id, channel_id, version, published_at in live:
        if channel_id not in code_of:
            continue
        shown = result[product_id].get(channel_id)
        if shown is not None and (version, published_at) <= (shown.version, shown.published_at):
            continue
        current = versions[product_id]
        approved = next((v for codes, v in approvals.get(product_id, ())
                         if code_of[channel_id] in codes), current)
        result[product_id][channel_id] = ChannelPublication(version, published_at,
                                                            current > approved)
    return result
