"""load_demo leaves completeness computed, with translations in place counted as found."""
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Channel, Product, ProductCompleteness, TranslationStamp


@pytest.mark.django_db
def test_load_demo_computes_completeness_for_every_product():
    out = StringIO()
    call_command("load_demo", "--products", "24", "--no-admin", stdout=out)
    expected = Product.objects.count() * sum(len(c.locales) for c in Channel.objects.all())
    assert ProductCompleteness.objects.count() == expected
    assert "Recomputed 24 products" in out.getvalue()
    assert TranslationStamp.objects.filter(how="found").exists()
    codes = [code for failures in ProductCompleteness.objects.values_list("failures", flat=True)
             for code in (f["code"] for f in failures)]
    outdated = [c for c in codes if ".outdated." in c]
    found = TranslationStamp.objects.count()
    assert 0 < len({c for c in outdated}) and len(outdated) < found
    assert ProductCompleteness.objects.filter(complete=True).exists()
