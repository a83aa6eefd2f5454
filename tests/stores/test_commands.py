"""manage.py create_screen_token and create_partner_token."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from api.services import token_hash
from api.stores.models import PartnerToken, ScreenToken

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_screen_token_prints_the_enrolment_link_once(paris, client):
    link, note = run("create_screen_token", "paris-opera", "--base-url", "https://pim.example.com")
    assert link.startswith("https://pim.example.com/screens/paris-opera/#enrol=pim_")
    raw = link.split("#enrol=")[1]
    assert ScreenToken.objects.get().key_hash == token_hash(raw)
    assert "shown once" in note
    session = client.get("/screens/paris-opera/session/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert session.status_code == 200 and session.json()["locale"] == "fr"


def test_create_screen_token_names_the_stores_when_the_store_is_unknown(paris):
    with pytest.raises(CommandError, match="No store “nope”. Stores: paris-opera."):
        run("create_screen_token", "nope")


def test_create_partner_token(paris):
    raw, _ = run("create_partner_token", "store", "--store", "paris-opera")
    assert PartnerToken.objects.get(key_hash=token_hash(raw)).store == paris
    raw, _ = run("create_partner_token", "reviews")
    assert PartnerToken.objects.get(key_hash=token_hash(raw)).kind == "reviews"
    with pytest.raises(CommandError, match="needs --store"):
        run("create_partner_token", "store")
    with pytest.raises(CommandError, match="no --store"):
        run("create_partner_token", "reviews", "--store", "paris-opera")
