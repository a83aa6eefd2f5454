"""The OpenAPI document and the interactive docs."""
import yaml


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
    assert set(paths) == {
        "/api/v1/channels/{channel}/products/",
        "/api/v1/channels/{channel}/products/{style_code}/",
        "/api/v1/channels/{channel}/gtin/{gtin}/",
        "/api/v1/channels/{channel}/categories/",
    }
    for path in paths.values():
        operation = path["get"]
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
