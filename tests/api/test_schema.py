"""The OpenAPI document and the interactive docs."""
from decimal import Decimal

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from jsonschema import Draft202012Validator

from catalog.models import Channel
from catalog.services.photos import social_image_add, video_set
from tests import factories
from tests.media.builders import video
from tests.workflow.conftest import jpeg_file, make_complete_product

from .conftest import make_product, publish


def test_schema_documents_every_endpoint_with_security_and_errors(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["channelToken"] == {
        "type": "http", "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["channelToken"]["description"],
    }
    paths = schema["paths"]
    channel_reads = {
        "/api/v1/channels/{channel}/products/",
        "/api/v1/channels/{channel}/products/{style_code}/",
        "/api/v1/channels/{channel}/gtin/{gtin}/",
        "/api/v1/channels/{channel}/categories/",
        "/api/v1/channels/{channel}/products/{style_code}/availability/",
    }
    partner_writes = {"/api/v1/products/{style_code}/ratings/", "/api/v1/stores/{store}/stock/"}
    assert set(paths) == channel_reads | partner_writes
    for name in channel_reads:
        operation = paths[name]["get"]
        assert operation["security"] == [{"channelToken": []}]
        assert {"200", "400", "401", "404", "429"} <= set(operation["responses"])
    detail = paths["/api/v1/channels/{channel}/products/{style_code}/"]["get"]
    assert "304" in detail["responses"] and "ETag" in detail["responses"]["200"]["headers"]
    product = schema["components"]["schemas"]["Product"]
    assert {"style_code", "colours", "composition", "fit", "size_chart", "description_html",
            "care", "returns", "shipping", "video", "social_images", "ratings", "version",
            "published_at"} <= set(product["required"])
    listing = paths["/api/v1/channels/{channel}/products/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"locale", "updated_since", "page_size", "cursor"} <= names


def test_docs_page_serves_swagger_ui_without_a_cdn(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page and '<script src="/api/v1/docs/?script="></script>' in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page
    assert "drf_spectacular_sidecar/swagger-ui-dist/" in page
    # The set-up script is a file of its own, so the page needs no inline script (CSP).
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def _json_schema(node):
    """OpenAPI 3.0 schemas as JSON Schema, as schemathesis reads them (`nullable` allows
    null, also beside an allOf), with every documented object closed: a field the payload
    adds but the document does not name fails, as a field the document requires and the
    payload lacks."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _product_validator(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    document = {"$ref": "#/components/schemas/Product",
                "components": _json_schema(schema["components"])}
    return Draft202012Validator(document)


def test_a_published_full_product_validates_against_the_documented_product(client, api, webshop,
                                                                             on_commit):
    """catalog.payload builds the snapshot and documents it: the two cannot drift."""
    Channel.objects.filter(pk=webshop.pk).update(
        markets=["FR"], renditions=["fill-80x100|format-webp"])
    webshop.refresh_from_db()
    product = make_complete_product(photos=2, fit_type="")  # a blank choice: null
    factories.CompositionLineFactory(product=product, part="lining", fibre="cotton",
                                     percentage=Decimal("99.5"))
    factories.SizeChartRowFactory(product=product, size_label="L", waist_cm=Decimal("70.5"))
    with on_commit():  # their renditions are made once the upload commits
        video_set(product=product, video_file=SimpleUploadedFile("clip.mp4", video("mp4")),
                  poster_file=jpeg_file("poster.jpg"))
        social_image_add(product=product, ratio="4x5", file=jpeg_file("social.jpg"))
    publish(product, webshop)

    body = api.get(f"/api/v1/channels/webshop/products/{product.style_code}/?locale=fr").json()
    assert body["video"] and body["social_images"] and body["ratings"] and body["shipping"]
    assert body["colours"][0]["photos"][0]["renditions"]
    validator = _product_validator(client)
    validator.validate(body)

    # Each documented part is checked: an undocumented field or a missing one is refused.
    for broken in ({**body, "extra": 1},
                   {**body, "fit": {**body["fit"], "type": 3}},
                   {key: value for key, value in body.items() if key != "returns"}):
        assert not validator.is_valid(broken)


def test_a_product_with_no_returns_policy_publishes_null_returns_as_documented(client, api,
                                                                                webshop):
    brand = factories.BrandFactory(code="no-default", returns_policy=None)
    product = make_product(brand=brand)
    publish(product, webshop)
    body = api.get(f"/api/v1/channels/webshop/products/{product.style_code}/").json()
    assert body["returns"] is None and body["ratings"] is None and body["video"] is None
    _product_validator(client).validate(body)


def test_schema_is_openapi_3_1_with_a_plain_version_tombstones_discriminated_and_webhooks(
        client, db):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert schema["openapi"] == "3.1.0" and schema["info"]["version"] == "1.0.0"
    components = schema["components"]["schemas"]
    assert components["ProductOrTombstone"]["discriminator"] == {
        "propertyName": "kind", "mapping": {
            "product": "#/components/schemas/Product",
            "tombstone": "#/components/schemas/Tombstone"}}
    product = components["Product"]["properties"]
    assert product["video"] == {"oneOf": [{"$ref": "#/components/schemas/Video"}, {"type": "null"}]}
    assert components["Photo"]["properties"]["renditions"]["additionalProperties"] == {
        "$ref": "#/components/schemas/Rendition"}
    assert set(components["Rendition"]["required"]) == {"url", "width", "height"}
    assert "enum" in components["RoleEnum"] and "enum" in components["FibreEnum"]
    assert "enum" in components["CareWashingEnum"] and "enum" in components["RatioEnum"]
    webhook = schema["webhooks"]["productChanged"]["post"]
    assert {p["name"] for p in webhook["parameters"]} >= {"X-PIM-Signature", "X-PIM-Event-Id"}


def test_with_a_channel_token_the_schema_lists_that_channels_locales(client, api, webshop):
    mine = yaml.safe_load(api.get("/api/v1/schema/").content)
    anyone = yaml.safe_load(client.get("/api/v1/schema/").content)
    operation = "/api/v1/channels/{channel}/products/"

    def locales(schema):
        [parameter] = [p for p in schema["paths"][operation]["get"]["parameters"]
                       if p["name"] == "locale"]
        return parameter["schema"]["enum"]

    assert locales(mine) == ["en", "fr"]
    assert set(locales(anyone)) == {"en", "fr", "pl", "zh-hans"}
