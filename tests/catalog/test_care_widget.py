"""Wash and care on the product page: ISO 3758 pictograms as radio buttons, one group each."""
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from catalog.models.choices import CARE_GROUPS
from tests.forms import errors_of, form_data

pytestmark = pytest.mark.django_db


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def test_each_care_group_is_a_row_of_pictograms_with_their_names(admin_client, dress):
    dress.care_washing = "wash_30"
    dress.save()
    html = admin_client.get(change_url(dress)).content.decode()
    for field, choices in CARE_GROUPS.items():
        assert f'<div id="id_{field}" class="care-pictograms" role="radiogroup">' in html
        assert f'<select name="{field}"' not in html
        for value, label in choices.choices:
            assert re.search(rf'<input type="radio" name="{field}" value="{value}"[^>]*>'
                             rf'<img src="[^"]*/catalog/care/{value}\.svg" alt="{re.escape(label)}"',
                             html), (field, value)
            assert finders.find(f"catalog/care/{value}.svg"), value  # one set, shared
        assert f'<input type="radio" name="{field}" value=""' in html  # "No symbol"
    checked = re.search(r'<input type="radio" name="care_washing" value="wash_30"[^>]*>', html)
    assert "checked" in checked.group(0)
    assert "catalog/care/care.css" in html


def test_a_pictogram_chosen_is_saved_and_no_symbol_clears_it(admin_client, dress):
    dress.care_ironing = "iron_200"
    dress.save()
    data = form_data(admin_client.get(change_url(dress)))
    assert data["care_ironing"] == "iron_200"
    data.update({"care_washing": "hand_wash", "care_drying": "flat_dry_shade",
                 "care_ironing": ""})
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    dress.refresh_from_db()
    assert (dress.care_washing, dress.care_drying, dress.care_ironing) == (
        "hand_wash", "flat_dry_shade", "")


def test_a_symbol_of_another_group_is_refused(admin_client, dress):
    data = form_data(admin_client.get(change_url(dress)))
    data["care_washing"] = "do_not_iron"
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 200
    assert "Select a valid choice" in str(errors_of(response))
    dress.refresh_from_db()
    assert dress.care_washing == ""
