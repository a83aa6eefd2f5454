"""The admin: stores, and a screen token's one-time enrolment page (link and QR code)."""
import re

import pytest

from api.services import token_hash
from api.stores.models import PartnerToken, ScreenToken
from catalog.stores.models import Store

pytestmark = pytest.mark.django_db


def test_a_store_is_created_with_locales_of_its_channel_only(admin_client, screens):
    url = "/admin/stores/store/add/"
    refused = admin_client.post(url, {"code": "nice", "name": "Nice", "country": "FR",
                                      "locales": '["fr", "zh-hans"]', "channel": screens.pk})
    assert refused.status_code == 200
    assert "zh-hans: not a locale of the channel" in refused.content.decode()
    saved = admin_client.post(url, {"code": "nice", "name": "Nice", "country": "FR",
                                    "locales": '["fr", "en"]', "channel": screens.pk})
    assert saved.status_code == 302
    assert Store.objects.get(code="nice").default_locale == "fr"
    assert admin_client.get("/admin/stores/store/").status_code == 200
    assert admin_client.get("/admin/stores/storestock/").status_code == 200


def test_creating_a_screen_token_shows_its_enrolment_link_and_qr_code_once(admin_client, paris):
    response = admin_client.post("/admin/store_api/screentoken/add/",
                                 {"store": paris.pk, "name": "Entrance"})
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'value="(http://testserver/screens/paris-opera/#enrol=([^"]+))"', page)
    assert link, page[:2000]
    token = ScreenToken.objects.get()
    assert token.key_hash == token_hash(link.group(2)) and token.store == paris
    assert "<svg" in page and "QR code" in page
    assert link.group(2) not in admin_client.get(
        f"/admin/store_api/screentoken/{token.pk}/change/").content.decode()


def test_a_partner_token_is_shown_once_and_a_store_token_needs_its_store(admin_client, paris):
    refused = admin_client.post("/admin/store_api/partnertoken/add/",
                                {"kind": "store", "name": "POS"})
    assert refused.status_code == 200 and not PartnerToken.objects.exists()
    response = admin_client.post("/admin/store_api/partnertoken/add/",
                                 {"kind": "store", "store": paris.pk, "name": "POS"}, follow=True)
    assert PartnerToken.objects.get().store == paris
    assert "shown this once" in response.content.decode()


def test_revoking_from_the_list(admin_client, paris_screen):
    admin_client.post("/admin/store_api/screentoken/", {
        "action": "revoke", "_selected_action": [paris_screen.token.pk]})
    paris_screen.token.refresh_from_db()
    assert paris_screen.token.revoked_at is not None
