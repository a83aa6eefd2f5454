"""manage.py recompute_completeness."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import ProductCompleteness
from tests import factories

from .conftest import build_complete_product

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("recompute_completeness", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_recomputes_the_catalog_and_summarises(channel):
    screens = factories.ChannelFactory(code="store-screens", name="Screens", min_photos=1,
                                       locales=["en"], markets=[])
    build_complete_product()
    build_complete_product(photos=1)
    ProductCompleteness.objects.all().delete()
    out, err = run("--batch-size", "1")
    assert "Recomputed 2 products for store-screens, webshop: 10 rows created, 0 changed, " \
           "0 unchanged, 0 removed." in out
    assert "  webshop fr: 1 complete, 1 incomplete" in out
    assert "  store-screens en: 2 complete, 0 incomplete" in out
    assert "completeness: 100%" in err  # the progress bar
    assert ProductCompleteness.objects.filter(channel=screens).count() == 2
    out, _ = run("--no-progress")
    assert "0 rows created, 0 changed, 10 unchanged" in out


def test_one_channel(channel):
    other = factories.ChannelFactory(code="marketplace", name="Marketplace", locales=["en"])
    build_complete_product()
    out, _ = run("--channel", "marketplace", "--no-progress")
    assert "for marketplace:" in out
    assert set(ProductCompleteness.objects.values_list("channel", flat=True)) == {other.pk}


@pytest.mark.parametrize(("args", "message"), [
    (["--channel", "nowhere"], "Unknown channel: nowhere. Channels: webshop."),
    (["--batch-size", "0"], "--batch-size must be at least 1."),
])
def test_bad_input(channel, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_no_channel(db):
    with pytest.raises(CommandError, match="There is no channel"):
        run()
