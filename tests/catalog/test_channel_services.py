"""Channel writes through channel_save: every rule refused by the service, nothing stored."""
import pytest
from django.urls import reverse

from catalog.models import Channel
from catalog.services.channels import channel_save
from catalog.services.errors import ContentError
from tests import factories
from tests.forms import errors_of, form_data

pytestmark = pytest.mark.django_db


def test_specs_are_stored_canonical_and_once(channel):
    user = factories.UserFactory(username="claire")
    channel.renditions = [" max-2000", "format-webp|fill-400x500", "fill-400x500|format-webp",
                          "max-2000"]
    channel_save(channel=channel, user=user)
    channel.refresh_from_db()
    assert channel.renditions == ["max-2000", "fill-400x500|format-webp"]
    assert channel.history.first().history_user == user


@pytest.mark.parametrize(("changes", "path", "message"), [
    ({"renditions": ["fill-800|bogus-1"]}, "renditions", "fill-800|bogus-1: 'fill-800'"),
    ({"renditions": ["max-2000", ""]}, "renditions", "is not a rendition spec"),
    ({"min_photos": 11}, "min_photos", "A colour has at most 10 photos"),
    ({"description_max_length": 0}, "description_max_length", "at least 1 character"),
    ({"locales": ["en", "xx"]}, "locales", "Unknown locale(s): xx."),
    ({"locales": []}, "locales", "This field cannot be blank."),
    ({"markets": ["FR", "XX"]}, "markets", "Unknown country code(s): XX."),
    ({"webhook_url": "http://shop.example.com/hooks"}, "webhook_url", "must use https"),
])
def test_bad_channel_is_refused_on_its_field(channel, changes, path, message):
    before = Channel.objects.values().get(pk=channel.pk)
    for name, value in changes.items():
        setattr(channel, name, value)
    with pytest.raises(ContentError) as refused:
        channel_save(channel=channel)
    assert list(refused.value.paths) == [path]
    assert message in refused.value.paths[path][0]
    assert Channel.objects.values().get(pk=channel.pk) == before


def test_a_new_channel_is_created(db):
    channel = channel_save(channel=Channel(code="outlet", name="Outlet", locales=["en"],
                                           renditions=["max-1200"], description_max_length=1,
                                           webhook_url="https://outlet.example.com/hooks"))
    assert Channel.objects.get(code="outlet").renditions == ["max-1200"] == channel.renditions


def test_admin_refuses_a_bad_spec_and_a_plain_http_webhook(admin_client, channel):
    url = reverse("admin:catalog_channel_change", args=[channel.pk])
    data = form_data(admin_client.get(url)) | {"renditions": "fill-800|bogus-1",
                                               "webhook_url": "http://shop.example.com/hooks"}
    errors = errors_of(admin_client.post(url, data))
    assert "fill-800|bogus-1" in errors and "The webhook URL must use https." in errors
    channel.refresh_from_db()
    assert channel.renditions == ["fill-800x1000|format-webp", "max-2000"]


def test_admin_saves_canonical_specs_and_records_who(admin_client, admin_user, channel):
    url = reverse("admin:catalog_channel_change", args=[channel.pk])
    data = form_data(admin_client.get(url)) | {"renditions": "format-webp|fill-400x500\nmax-2000"
                                                             "\nfill-400x500|format-webp"}
    assert admin_client.post(url, data).status_code == 302
    channel.refresh_from_db()
    assert channel.renditions == ["fill-400x500|format-webp", "max-2000"]
    assert channel.history.first().history_user == admin_user
