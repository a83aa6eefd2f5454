"""Completeness stays current: after admin saves, media changes, rule changes; once per commit."""
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from catalog.models import Category, Channel, ProductCompleteness
from catalog.services import completeness as completeness_services
from catalog.services.photos import photo_add, photo_remove
from tests.forms import form_data

from .conftest import JPEG, add_photos, build_complete_product, rows_of

pytestmark = pytest.mark.django_db


def stored(product, channel, locale="en"):
    return ProductCompleteness.objects.get(product=product, channel=channel, locale=locale)


def test_an_admin_save_recomputes_the_product_once(admin_client, channel, complete_product,
                                                   django_capture_on_commit_callbacks):
    rows_of(complete_product)
    url = reverse("admin:catalog_product_change", args=[complete_product.pk])
    data = form_data(admin_client.get(url)) | {
        "care_washing": "", "composition_lines-0-DELETE": "on",
    }
    with mock.patch.object(completeness_services, "completeness_recompute",
                           wraps=completeness_services.completeness_recompute) as recompute:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(url, data)
    assert response.status_code == 302
    recompute.assert_called_once_with(product_ids=[complete_product.pk])
    assert stored(complete_product, channel).failure_codes == [
        "composition.missing", "care.washing_missing"]


def test_photos_added_and_removed_recompute(channel, django_capture_on_commit_callbacks):
    product = build_complete_product(photos=3)
    colour = product.colours.get()
    rows_of(product)
    assert stored(product, channel).failure_codes == ["photos.min_count"]
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_add(colour=colour, file=ContentFile(JPEG, name="WD_RED_04.jpg"))
    assert stored(product, channel).complete
    with django_capture_on_commit_callbacks(execute=True):
        photo_remove(photo=photo)
    assert stored(product, channel).failure_codes == ["photos.min_count"]


def test_a_rolled_back_change_recomputes_nothing(channel, complete_product,
                                                 django_capture_on_commit_callbacks):
    rows_of(complete_product)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                complete_product.colours.get().photos.first().delete()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert stored(complete_product, channel).complete


def test_many_changes_in_one_transaction_recompute_once(channel,
                                                        django_capture_on_commit_callbacks):
    products = [build_complete_product(photos=0) for _ in range(3)]
    with mock.patch.object(completeness_services, "completeness_recompute",
                           wraps=completeness_services.completeness_recompute) as recompute:
        with django_capture_on_commit_callbacks(execute=True):
            for product in products:
                add_photos(product.colours.get(), 4)
    recompute.assert_called_once_with(product_ids=sorted(p.pk for p in products))
    assert all(stored(p, channel).complete for p in products)


def test_a_channel_change_recomputes_its_products(admin_client, channel, complete_product,
                                                  django_capture_on_commit_callbacks):
    rows_of(complete_product)
    url = reverse("admin:catalog_channel_change", args=[channel.pk])
    data = form_data(admin_client.get(url)) | {"min_photos": "5", "locales": ["en", "fr"]}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    rows = {r.locale: r for r in ProductCompleteness.objects.filter(channel=channel)}
    assert sorted(rows) == ["en", "fr"]
    assert rows["en"].failures[0]["message"] == "Red: 4 of 5 photos"


def test_a_profile_change_recomputes_the_products_below(channel, complete_product,
                                                        django_capture_on_commit_callbacks):
    rows_of(complete_product)
    complete_product.care_washing = ""
    complete_product.save()
    profile = Category.objects.get_parent(complete_product.category).content_profile
    with django_capture_on_commit_callbacks(execute=True):
        profile.required_fields = [f for f in profile.required_fields if f != "care"]
        profile.save()
    assert stored(complete_product, channel).complete


def test_a_brand_shipping_rate_change_recomputes_the_brand(channel, complete_product,
                                                           django_capture_on_commit_callbacks):
    rows_of(complete_product)
    with django_capture_on_commit_callbacks(execute=True):
        complete_product.brand.shipping_rates.get(country="PL").delete()
    assert stored(complete_product, channel).failure_codes == ["shipping.market_missing"]


def test_channels_are_recomputed_in_a_task(channel, complete_product,
                                           django_capture_on_commit_callbacks):
    from catalog import tasks

    with mock.patch.object(tasks.completeness_recompute_scope_task, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            Channel.objects.get(pk=channel.pk).save()
    delay.assert_called_once_with(channel_ids=[channel.pk], category_paths=None, brand_id=None)
