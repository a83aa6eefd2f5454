"""snapshots_touch: the one write through which live data reaches delta feeds."""
import pytest

from catalog.models import ProductSnapshot
from catalog.services.publishing import snapshots_touch
from tests.api.conftest import make_product, publish, unpublish

pytestmark = pytest.mark.django_db


def test_touch_bumps_live_snapshots_of_the_products_on_the_channels_named(screens, webshop):
    dress, shirt = make_product(style_code="WD-25-0001"), make_product(style_code="WD-25-0002")
    publish(dress, screens, webshop)
    publish(shirt, screens)
    unpublish(shirt, screens)
    before = {(s.style_code, s.channel.code, s.locale): s.updated_at
              for s in ProductSnapshot.objects.select_related("channel")}
    assert snapshots_touch(product_ids=[dress.pk, shirt.pk], channels=[screens]) == 3
    after = {(s.style_code, s.channel.code, s.locale): (s.updated_at, s.version)
             for s in ProductSnapshot.objects.select_related("channel")}
    moved = {key for key, (stamp, _) in after.items() if stamp != before[key]}
    assert moved == {("WD-25-0001", "store-screens", locale) for locale in ("en", "fr", "pl")}
    assert all(version == 1 for key, (_, version) in after.items() if key[0] == "WD-25-0001")
    assert snapshots_touch(product_ids=[dress.pk]) == 5  # every channel: 3 + 2 locales
    assert snapshots_touch(product_ids=[]) == 0
