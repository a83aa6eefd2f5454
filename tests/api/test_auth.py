"""Channel tokens: created once, stored hashed, scoped to a channel, revocable, rate limited."""
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from api.auth import BadTokenThrottle, ChannelTokenRateThrottle
from api.models import ChannelToken
from api.services import channel_token_create, token_hash

LIST = "/api/v1/channels/webshop/products/"


def test_no_token_is_401_with_a_challenge(anonymous, webshop):
    response = anonymous.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "header", ["Bearer nope", "Bearer", "Token abc", "Bearer a b", "Basic dXNlcjpwYXNz"]
)
def test_bad_token_is_401(webshop, token, header):
    response = APIClient().get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_is_401(api, webshop):
    ChannelToken.objects.update(revoked_at="2025-01-01T00:00:00Z")
    response = api.get(LIST)
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_another_channels_url_is_404_like_an_unknown_channel(api, marketplace):
    other = api.get("/api/v1/channels/marketplace/products/")
    unknown = api.get("/api/v1/channels/nowhere/products/")
    assert other.status_code == unknown.status_code == 404
    assert other.json()["code"] == unknown.json()["code"] == "channel_not_found"
    for path in ("products/X-1/", "gtin/5901234123457/", "categories/"):
        assert api.get(f"/api/v1/channels/marketplace/{path}").status_code == 404


def test_token_is_stored_hashed_and_records_its_use(api, token):
    stored = ChannelToken.objects.get()
    assert token not in {stored.key_hash, stored.prefix}
    assert stored.key_hash == token_hash(token) and token.startswith(f"pim_{stored.prefix}_")
    assert stored.last_used_at is None
    assert api.get(LIST).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_command_prints_the_token_once(webshop):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_channel_token", "webshop", "--name", "Shop", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ChannelToken.objects.get()
    assert token.key_hash == token_hash(raw) and token.name == "Shop"
    assert "shown once" in err.getvalue()
    response = APIClient().get(LIST, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_command_refuses_an_unknown_channel(webshop):
    with pytest.raises(CommandError, match="No channel “shop”. Channels: webshop."):
        call_command("create_channel_token", "shop")
    assert not ChannelToken.objects.exists()


def test_admin_creates_a_token_shows_it_once_and_revokes_it(admin_client, webshop):
    response = admin_client.post(
        "/admin/api/channeltoken/add/", {"channel": webshop.pk, "name": "Storefront"}, follow=True
    )
    assert response.status_code == 200
    token = ChannelToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(m for m in shown if "copy it now" in m).split("<code>")[1].split("</code>")[0]
    assert token.key_hash == token_hash(raw) and token.created_by.username == "admin"
    page = admin_client.get(f"/admin/api/channeltoken/{token.pk}/change/").content.decode()
    assert raw not in page and token.prefix in page
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(LIST).status_code == 200
    admin_client.post(
        "/admin/api/channeltoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(LIST).status_code == 401


def test_rate_limit_per_token_is_a_429_with_retry_after(monkeypatch, webshop, api):
    monkeypatch.setattr(ChannelTokenRateThrottle, "THROTTLE_RATES", {"channel_token": "3/minute"})
    cache.clear()
    assert [api.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(LIST)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "throttled" and body["retry_after"] == int(response["Retry-After"])
    assert "throttled" in body["detail"] and "seconds" in body["detail"]
    # Another token of the same channel has its own budget.
    other = APIClient()
    other.credentials(
        HTTP_AUTHORIZATION=f"Bearer {channel_token_create(channel=webshop, name='b').raw}"
    )
    assert other.get(LIST).status_code == 200
    cache.clear()


def test_repeated_wrong_api_tokens_get_a_429_per_address(monkeypatch, webshop, api):
    monkeypatch.setattr(BadTokenThrottle, "THROTTLE_RATES", {"bad_token": "5/minute"})
    guesser = APIClient()
    statuses = [guesser.get(LIST, HTTP_AUTHORIZATION=f"Bearer guess-{i}").status_code
                for i in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    refused = guesser.get(LIST, HTTP_AUTHORIZATION="Bearer guess-again")
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) > 0
    # A client with a good token from another address is not slowed down.
    assert api.get(LIST, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_good_tokens_do_not_use_up_the_wrong_token_budget(monkeypatch, webshop, api):
    monkeypatch.setattr(BadTokenThrottle, "THROTTLE_RATES", {"bad_token": "2/minute"})
    assert {api.get(LIST).status_code for _ in range(5)} == {200}


def test_a_server_fault_is_a_json_500_without_the_debug_page(monkeypatch, settings, webshop, api):
    settings.DEBUG = True
    from api.v1 import views

    def broken(**kwargs):
        raise RuntimeError("SECRET_KEY would be on the debug page")

    monkeypatch.setattr(views, "snapshot_feed", broken)
    response = api.get(LIST)
    assert response.status_code == 500
    assert response.json() == {
        "detail": "The server failed to answer this request; it has been logged.",
        "code": "server_error",
    }
    assert "SECRET_KEY" not in response.content.decode()
