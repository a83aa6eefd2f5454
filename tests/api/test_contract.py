"""The contract as integrators meet it: every response of a full pull of the demo catalog
validates against the OpenAPI document (openapi-core), the Python client generated from the
document (openapi-python-client) installs and reads those responses, and the TypeScript types
(openapi-typescript, from npm) are generated.

Selected by marker: pytest -m contract -p no:xdist tests/api (CONTRACT_PRODUCTS: demo size).
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from api.services import channel_token_create
from catalog.models import Channel, Product
from catalog.services.publishing import snapshots_tombstone

pytestmark = [pytest.mark.contract, pytest.mark.timeout(1800)]


@pytest.fixture
def document(client, db):
    return yaml.safe_load(client.get("/api/v1/schema/").content)


def test_every_response_of_a_full_demo_pull_validates(client, document, tmp_path, settings):
    settings.PIM_PUBLIC_URL = "https://pim.example.com"
    call_command("load_demo", products=int(os.environ.get("CONTRACT_PRODUCTS", "24")),
                 no_admin=True, stdout=open(os.devnull, "w"))
    published = Product.objects.filter(snapshots__deleted=False).distinct().first()
    with transaction.atomic():  # a tombstone in the deltas
        snapshots_tombstone(product=published)
    openapi = OpenAPI.from_dict(document)
    seen = {"pages": 0, "products": 0, "tombstones": 0, "details": 0, "gtins": 0}
    pages = []

    def get(url, token, **headers):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    for channel in Channel.objects.order_by("code"):
        token = channel_token_create(channel=channel, name="contract").raw
        base = f"/api/v1/channels/{channel.code}"
        for locale in channel.locales:
            live = []
            for since in ("", "0.0"):  # the full feed, and a delta from the start
                url = f"{base}/products/?locale={locale}&page_size=50&updated_since={since}"
                while url:
                    response = get(url, token)
                    assert response.status_code == 200
                    body = response.json()
                    pages.append(body)
                    seen["pages"] += 1
                    for item in body["results"]:
                        seen["tombstones" if item["kind"] == "tombstone" else "products"] += 1
                        if not since:
                            live.append(item)
                    url = body["next"]
            for item in live[:3]:
                detail = get(f"{base}/products/{item['style_code']}/?locale={locale}", token)
                assert detail.status_code == 200
                assert get(f"{base}/products/{item['style_code']}/?locale={locale}", token,
                           HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
                gtin = item["colours"][0]["variants"][0]["gtin"]
                assert get(f"{base}/gtin/{gtin}/?locale={locale}", token).status_code == 200
                seen["details"] += 1
                seen["gtins"] += 1
            assert get(f"{base}/categories/?locale={locale}", token).status_code == 200
        # Refusals are documented too.
        assert get(f"{base}/products/?locale=xx", token).status_code == 400
        assert get(f"{base}/products/NOPE/", token).status_code == 404
        assert get(f"{base}/gtin/96385074/", token).status_code == 404
    assert seen["products"] > 0 and seen["tombstones"] > 0 and seen["details"] > 0, seen
    (tmp_path / "pages.json").write_text(json.dumps(pages))

    # The generated Python client installs and reads every page into its models.
    client_dir = _python_client(document, tmp_path)
    check = subprocess.run(
        [sys.executable, "-c", READ_WITH_CLIENT, str(tmp_path / "pages.json")],
        env={**os.environ, "PYTHONPATH": str(client_dir)}, capture_output=True, text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"read {seen['products'] + seen['tombstones']} items" in check.stdout, check.stdout


READ_WITH_CLIENT = """
import json, sys
from pim_syndication_api_client.models import Product, ProductPage, Tombstone
count = 0
for raw in json.load(open(sys.argv[1])):
    page = ProductPage.from_dict(raw)
    for item, source in zip(page.results, raw["results"]):
        expected = Tombstone if source["kind"] == "tombstone" else Product
        assert isinstance(item, expected), (type(item), source["style_code"])
        if expected is Product:
            assert item.to_dict()["colours"] == source["colours"]
        count += 1
print(f"read {count} items")
"""


def _python_client(document, tmp_path) -> Path:
    schema = tmp_path / "openapi.json"
    schema.write_text(json.dumps(document))
    config = tmp_path / "client.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run over the generated code
    generator = Path(sys.executable).with_name("openapi-python-client")
    generated = subprocess.run(
        [str(generator), "generate", "--path", str(schema), "--output-path",
         str(tmp_path / "client"), "--meta", "setup", "--config", str(config),
         "--fail-on-warning"],
        capture_output=True, text=True, timeout=300,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--target", str(site), str(tmp_path / "client")],
        capture_output=True, text=True, timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return site


@pytest.mark.skipif(shutil.which("npx") is None, reason="needs node and npm (apt-get install npm)")
def test_typescript_types_are_generated(document, tmp_path):
    schema = tmp_path / "openapi.json"
    schema.write_text(json.dumps(document))
    result = subprocess.run(
        ["npx", "--yes", "openapi-typescript@7", str(schema), "-o", str(tmp_path / "api.d.ts")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    types = (tmp_path / "api.d.ts").read_text()
    assert "ProductOrTombstone" in types and '"/api/v1/channels/{channel}/products/"' in types
    assert 'kind: "tombstone"' in types
