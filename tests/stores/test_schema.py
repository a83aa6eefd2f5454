"""The partner endpoints in the OpenAPI document: their token, body and every answer."""
import yaml


def test_partner_writes_are_documented_with_their_token_and_errors(client, db):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert schema["components"]["securitySchemes"]["partnerToken"]["scheme"] == "bearer"
    ratings = schema["paths"]["/api/v1/products/{style_code}/ratings/"]["put"]
    stock = schema["paths"]["/api/v1/stores/{store}/stock/"]["post"]
    for operation in (ratings, stock):
        assert operation["security"] == [{"partnerToken": []}]
        assert {"200", "400", "401", "403", "404", "429"} <= set(operation["responses"])
        assert operation["requestBody"]["required"] is True
    assert "any line is refused" in stock["description"]
    refused = stock["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    shapes = schema["components"]["schemas"][refused.rsplit("/", 1)[1]]["oneOf"]
    assert {s["$ref"].rsplit("/", 1)[1] for s in shapes} == {"StockRefused", "Invalid"}
    line = schema["components"]["schemas"]["StockLine"]
    assert {"quantity", "as_of"} <= set(line["required"])
    availability = schema["paths"][
        "/api/v1/channels/{channel}/products/{style_code}/availability/"]["get"]
    assert {p["name"] for p in availability["parameters"]} >= {"store"}
