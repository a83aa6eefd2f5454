"""A published product as schema.org JSON-LD: a `ProductGroup` whose variants vary by colour and
size, for `Accept: application/ld+json` (search engines, marketplaces that read structured
data). Built from the payload as served, so it shows what the channel's JSON shows."""
import re
from html import unescape

import orjson
from rest_framework.renderers import BaseRenderer

SCHEMA = "https://schema.org/"
_TAG = re.compile(r"<[^>]+>")


class JSONLDRenderer(BaseRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data)


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())


def _images(colour: dict) -> list[str]:
    """The largest rendition of each photo of the colour."""
    images = []
    for photo in colour.get("photos") or []:
        renditions = list((photo.get("renditions") or {}).values())
        if renditions:
            best = max(renditions, key=lambda r: (r.get("width") or 0) * (r.get("height") or 0))
            images.append(best["url"])
    return images


def _material(payload: dict) -> str:
    if payload.get("material_text"):
        return payload["material_text"]
    return ", ".join(f"{line['percentage']}% {line['fibre']}"
                     for line in payload.get("composition") or [])


def product_group(payload: dict, *, url: str, rating: tuple | None) -> dict:
    """The JSON-LD document; `rating` is (average, count) from the live ratings, or None."""
    name = payload.get("name") or payload["style_code"]
    material = _material(payload)
    brand = {"@type": "Brand", "name": payload["brand"]["name"]}
    variants = []
    images = []
    for colour in payload.get("colours") or []:
        colour_images = _images(colour)
        images += colour_images
        for variant in colour.get("variants") or []:
            item = {
                "@type": "Product",
                "name": f"{name}, {colour['name']}, {variant['size']}",
                "sku": variant["sku"],
                "gtin": variant["gtin"],
                "color": colour["name"],
                "size": variant["size"],
                "brand": brand,
            }
            if material:
                item["material"] = material
            if colour_images:
                item["image"] = colour_images
            variants.append(item)
    document = {
        "@context": SCHEMA,
        "@type": "ProductGroup",
        "@id": url,
        "url": url,
        "productGroupID": payload["style_code"],
        "name": name,
        "description": _text(payload.get("description_html", "")),
        "brand": brand,
        "category": " > ".join(payload.get("category", {}).get("path") or []),
        "variesBy": [f"{SCHEMA}color", f"{SCHEMA}size"],
        "hasVariant": variants,
    }
    if material:
        document["material"] = material
    if images:
        document["image"] = images
    if rating and rating[0] is not None and rating[1]:
        document["aggregateRating"] = {
            "@type": "AggregateRating", "ratingValue": float(rating[0]),
            "reviewCount": rating[1], "bestRating": 5, "worstRating": 0,
        }
    return document
