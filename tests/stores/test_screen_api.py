"""The JSON the screen page reads: enrolled screens only, published store-screens content."""
import pytest

from api.services import token_revoke
from api.stores.services import screen_token_create
from catalog.models import Variant
from tests import factories

from .conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/screens/paris-opera/products/"


def test_a_code_finds_the_published_product_by_gtin_sku_or_style(paris_screen, dress, paris):
    screen = bearer(paris_screen.raw)
    variant = Variant.objects.filter(colour__product=dress).first()
    by_gtin = screen.get(URL, {"code": variant.gtin_display}).json()
    assert by_gtin["found"] and by_gtin["locale"] == "fr"
    assert by_gtin["product"]["name"] == "Robe en lin"
    assert by_gtin["matched"] == {"gtin": variant.gtin}
    assert screen.get(URL, {"code": variant.sku.lower()}).json()["matched"] == {"sku": variant.sku}
    by_style = screen.get(URL, {"code": dress.style_code.lower(), "locale": "en"}).json()
    assert by_style["product"]["name"] == "Linen dress" and by_style["matched"] is None
    assert {v["status"] for v in by_style["availability"]} == {"none"}


def test_unknown_and_unpublished_codes_are_told_apart(paris_screen, dress):
    screen = bearer(paris_screen.raw)
    draft = factories.ProductFactory(style_code="WD-25-0999")
    factories.VariantFactory(colour=factories.ColourFactory(product=draft), gtin="5901234123464")
    for code, reason in [("5901234123457", "unknown_code"), ("5901234123464", "not_published"),
                         ("WD-25-0999", "not_published"), ("nothing", "unknown_code")]:
        body = screen.get(URL, {"code": code}).json()
        assert body["found"] is False and body["reason"] == reason, code


def test_bad_parameters_are_400(paris_screen, dress):
    screen = bearer(paris_screen.raw)
    assert screen.get(URL, {"code": "x" * 65}).status_code == 400
    assert screen.get(URL).status_code == 400
    bad_locale = screen.get(URL, {"code": dress.style_code, "locale": "de"})
    assert bad_locale.status_code == 400 and bad_locale.json()["valid_locales"]


def test_only_this_stores_enrolled_screens_read(anonymous, paris_screen, lyon, dress,
                                                screens_channel):
    assert anonymous.get(URL, {"code": dress.style_code}).status_code == 401
    assert screens_channel.get(URL, {"code": dress.style_code}).status_code == 401
    other = bearer(screen_token_create(store=lyon).raw).get(URL, {"code": dress.style_code})
    assert other.status_code == 401 and other.json()["code"] == "screen_not_enrolled"
    token_revoke(token=paris_screen.token)
    revoked = bearer(paris_screen.raw).get(URL, {"code": dress.style_code})
    assert revoked.status_code == 401 and revoked.json()["code"] == "screen_revoked"


def test_the_page_is_a_static_shell_under_the_csp(client, paris):
    page = client.get("/screens/paris-opera/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "style=" not in html
    assert "'wasm-unsafe-eval'" in page["Content-Security-Policy"]
    assert client.get("/screens/nowhere/").status_code == 404
