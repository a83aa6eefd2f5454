"""`Accept: application/ld+json` gives the product as schema.org JSON-LD, every type and
property checked against the schema.org vocabulary (a subset kept beside the test, offline)."""
import json
from pathlib import Path

from .conftest import make_product, publish

VOCABULARY = json.loads(Path(__file__).with_name("schemaorg_subset.json").read_text())
SCALARS = {"Text": str, "URL": str, "Number": (int, float), "Integer": int}


def _ancestors(kind):
    seen = [kind]
    for parent in VOCABULARY["types"][kind]:
        seen += _ancestors(parent)
    return seen


def vocabulary_problems(node, path="$"):
    """Every type unknown to schema.org, property outside its type's domain, or value outside
    its range."""
    problems = []
    kind = node["@type"]
    if kind not in VOCABULARY["types"]:
        return [f"{path}: unknown type {kind}"]
    lineage = _ancestors(kind)
    for name, value in node.items():
        if name.startswith("@"):
            continue
        prop = VOCABULARY["properties"].get(name)
        if prop is None:
            problems.append(f"{path}.{name}: not a schema.org property")
            continue
        if not set(prop["domain"]) & set(lineage):
            problems.append(f"{path}.{name}: not a property of {kind}")
        for n, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"{path}.{name}[{n}]"
            if isinstance(item, dict):
                if not set(_ancestors(item.get("@type", "Thing"))) & set(prop["range"]):
                    problems.append(f"{where}: {item.get('@type')} is outside {prop['range']}")
                problems += vocabulary_problems(item, where)
            elif not any(isinstance(item, SCALARS.get(r, ())) for r in prop["range"]) or \
                    isinstance(item, bool):
                problems.append(f"{where}: {item!r} is outside {prop['range']}")
    return problems


def test_product_as_schema_org_product_group(api, webshop):
    product = make_product(rating_average="4.50", rating_count=12)
    publish(product, webshop)
    url = f"/api/v1/channels/webshop/products/{product.style_code}/"
    response = api.get(url, {"locale": "fr"}, HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert "Accept" in response["Vary"] and response["Content-Language"] == "fr"
    document = json.loads(response.content)
    assert document["@context"] == "https://schema.org/" and document["@type"] == "ProductGroup"
    assert document["productGroupID"] == product.style_code and document["name"] == "Robe en lin"
    assert document["variesBy"] == ["https://schema.org/color", "https://schema.org/size"]
    variants = document["hasVariant"]
    assert sorted((v["color"], v["size"]) for v in variants) == [
        ("Noir", "M"), ("Rouge", "M"), ("Rouge", "S")]
    gtins = {v.gtin for c in product.colours.all() for v in c.variants.all()}
    assert {v["gtin"] for v in variants} == gtins
    assert document["aggregateRating"]["ratingValue"] == 4.5
    assert document["aggregateRating"]["reviewCount"] == 12
    assert vocabulary_problems(document) == []
    # The plain JSON stays the default, with its own ETag.
    plain = api.get(url, {"locale": "fr"})
    assert plain["Content-Type"] == "application/json" and plain["ETag"] != response["ETag"]


def test_the_vocabulary_check_catches_what_schema_org_does_not_define():
    bad = {"@type": "ProductGroup", "hasVariant": [{"@type": "Product", "colour": "red"}],
           "ratingValue": 3, "brand": {"@type": "Rating"}}
    assert len(vocabulary_problems(bad)) == 3


def test_without_ratings_there_is_no_aggregate_rating(api, webshop):
    product = make_product()
    publish(product, webshop)
    document = json.loads(api.get(f"/api/v1/channels/webshop/products/{product.style_code}/",
                                  HTTP_ACCEPT="application/ld+json").content)
    assert "aggregateRating" not in document and vocabulary_problems(document) == []
