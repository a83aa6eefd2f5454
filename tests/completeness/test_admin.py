"""Completeness in the admin: list badges and filter, product panel, dashboard, channel form."""
import re

import pytest
from django.urls import reverse

from catalog.models import Channel, ContentField
from catalog.services.completeness import completeness_recompute
from tests import factories
from tests.forms import errors_of, form_data

from .conftest import build_complete_product

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:catalog_product_changelist")


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


@pytest.fixture
def catalog(channel):
    """Two channels; one complete product and one missing photos and a French translation."""
    factories.ChannelFactory(code="store-screens", name="Store screens", min_photos=1,
                             locales=["en", "fr"], markets=[])
    complete = build_complete_product()
    partial = build_complete_product(photos=2, fit_description_fr="")
    completeness_recompute()
    return complete, partial


def test_list_shows_a_badge_per_channel(admin_client, catalog):
    complete, partial = catalog
    response = admin_client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    row = html[html.index(complete.style_code):]
    row = row[:row.index("</tr>")]
    assert [f"{loc} 100" for loc in ("EN", "FR", "EN", "FR", "PL", "ZH")] == re.findall(
        r'grid-score-complete">(\w+ \d+)<', row)  # store-screens' locales, then webshop'
    badges = {b.code: b.score for b in _badges(response, partial)}
    assert set(badges) == {"webshop", "store-screens"}
    assert badges["webshop"] < badges["store-screens"] < 100


def _badges(response, product):
    from catalog.completeness.selectors import completeness_badges

    obj = next(o for o in response.context["cl"].result_list if o.pk == product.pk)
    return completeness_badges(obj)


def test_list_queries_do_not_grow_with_products(admin_client, channel,
                                               django_assert_max_num_queries):
    build_complete_product()
    completeness_recompute()
    admin_client.get(LIST_URL)  # thumbnails are made on the first view
    with django_assert_max_num_queries(50) as one:
        assert admin_client.get(LIST_URL).status_code == 200
    queries = len(one)
    assert queries > 0
    for _ in range(29):
        build_complete_product(colours=("RED", "BLUE"))
    completeness_recompute()
    admin_client.get(LIST_URL)
    with django_assert_max_num_queries(queries):
        response = admin_client.get(LIST_URL)
    assert response.content.decode().count('grid-score-complete">EN 100<') == 30


def test_filter_incomplete_for_a_channel_in_a_locale(admin_client, catalog):
    complete, partial = catalog
    response = admin_client.get(LIST_URL, {"completeness": "webshop:fr:incomplete"})
    assert [p.pk for p in response.context["cl"].result_list] == [partial.pk]
    response = admin_client.get(LIST_URL, {"completeness": "webshop:fr:complete"})
    assert [p.pk for p in response.context["cl"].result_list] == [complete.pk]
    response = admin_client.get(LIST_URL, {"completeness": "store-screens:*:incomplete"})
    assert [p.pk for p in response.context["cl"].result_list] == [partial.pk]  # French fit
    response = admin_client.get(LIST_URL, {"completeness": "store-screens:en:incomplete"})
    assert list(response.context["cl"].result_list) == []
    choices = [c["display"] for c in response.context["cl"].filter_specs[-1].choices(
        response.context["cl"])]
    assert "Incomplete for Web shop in French" in choices


def test_filter_with_a_malformed_value_shows_nothing(admin_client, catalog):
    response = admin_client.get(LIST_URL, {"completeness": "webshop"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_panel_lists_what_is_missing_with_links(admin_client, catalog):
    _, partial = catalog
    html = admin_client.get(change_url(partial)).content.decode()
    panel = html[html.index('id="completeness-panel"'):]
    panel = panel[:panel.index('<form method="post" id="product_form"')] if (
        '<form method="post" id="product_form"' in panel) else panel
    assert ('href="#colours-group" data-pp-jump>Red: 2 of 4 photos</a> '
            '<small>(Web shop, all locales)</small>') in panel
    assert ('href="#id_fit_description_fr" data-pp-jump>French fit description: not '
            'translated.</a>') in panel
    assert 'data-channel="store-screens"' in panel
    # The anchors exist on the page.
    assert 'id="id_fit_description_fr"' in html and 'id="colours-group"' in html


def test_dashboard_counts_link_to_the_filtered_list(admin_client, catalog):
    response = admin_client.get(reverse("admin:catalog_productcompleteness_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    webshop = next(e for e in response.context["channels"] if e["channel"].code == "webshop")
    by_locale = {row["locale"].code: row for row in webshop["rows"]}
    assert (by_locale["en"]["cell"].complete, by_locale["en"]["cell"].incomplete) == (1, 1)
    assert (by_locale["fr"]["cell"].complete, by_locale["fr"]["cell"].incomplete) == (1, 1)
    assert "?completeness=webshop%3Afr%3Aincomplete" in html
    listed = admin_client.get(by_locale["fr"]["incomplete_url"])
    assert len(listed.context["cl"].result_list) == 1
    cells = [cell for row in response.context["categories"] for cell in row["cells"]]
    assert sum(cell["incomplete"] for cell in cells) == 2  # partial, in each channel
    # The admin index links to it.
    assert reverse("admin:catalog_productcompleteness_changelist") in admin_client.get(
        reverse("admin:index")).content.decode()


def test_dashboard_query_count_is_bounded(admin_client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        admin_client.get(reverse("admin:catalog_productcompleteness_changelist"))


def test_dashboard_needs_view_permission(client, catalog):
    user = factories.UserFactory(username="nobody", is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:catalog_productcompleteness_changelist"))
    assert response.status_code == 403


# Channel admin ---------------------------------------------------------------------------
def channel_post(admin_client, channel, **changes):
    url = reverse("admin:catalog_channel_change", args=[channel.pk])
    data = form_data(admin_client.get(url)) | changes
    return admin_client.post(url, data)


def test_channel_form_edits_markets_and_renditions(admin_client, channel):
    response = channel_post(admin_client, channel, markets=["FR", "GB"],
                            renditions="max-2000\nfill-400x500|format-webp\n\n")
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.markets == ["FR", "GB"]
    assert channel.renditions == ["max-2000", "fill-400x500|format-webp"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"renditions": "fill-800x|format-webp"}, "fill-800x"),
    ({"renditions": "blur-3"}, "blur"),
    ({"markets": ["XX"]}, "Select a valid choice. XX is not one of the available choices."),
    ({"min_photos": "11"}, "A colour has at most 10 photos"),
    ({"description_max_length": "0"}, "Leave empty for no limit"),
    ({"locales": []}, "This field is required."),
    ({"required_fields": ["photos", "nonsense"]}, "Select a valid choice."),
])
def test_channel_form_refuses_bad_input(admin_client, channel, changes, message):
    before = Channel.objects.values().get(pk=channel.pk)
    response = channel_post(admin_client, channel, **changes)
    assert message in errors_of(response)
    assert Channel.objects.values().get(pk=channel.pk) == before


def test_every_failure_links_to_a_place_on_the_page(admin_client, channel):
    everything = list(ContentField.values)
    channel.required_fields = everything
    channel.save()
    product = build_complete_product(
        fit_type="", fit_description_en="", description_en="", care_washing="",
        care_text_fr="", photos=1, sizes=("S",),
    )
    product.category.content_profile = factories.ContentProfileFactory(
        name="Everything", required_fields=everything)
    product.category.save()
    product.size_chart_rows.all().delete()
    product.composition_lines.all().delete()
    product.brand.shipping_rates.all().delete()
    completeness_recompute()
    failures = [f for row in product.completeness.all() for f in row.failures]
    fields = {f["field"] for f in failures}
    assert fields >= set(everything) - {"returns"}
    html = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk])
                            ).content.decode()
    # An anchor is an element's id, or a field's own id ("id_" and its name), which the
    # page's product_form.js gives the field that carries the name.
    missing = {f["anchor"] for f in failures if f'id="{f["anchor"]}"' not in html
               and f' name="{f["anchor"].removeprefix("id_")}"' not in html}
    assert missing == set()
    assert all(f'href="#{f["anchor"]}"' in html for f in failures)


def test_dashboard_counts_every_product_of_a_category(admin_client, catalog):
    """Counts are per channel x locale and per category, whatever the models' default ordering."""
    complete, partial = catalog
    build_complete_product(category=complete.category)
    completeness_recompute()
    response = admin_client.get(reverse("admin:catalog_productcompleteness_changelist"))
    webshop = next(e for e in response.context["channels"] if e["channel"].code == "webshop")
    by_locale = {row["locale"].code: row["cell"] for row in webshop["rows"]}
    assert (by_locale["en"].complete, by_locale["en"].incomplete) == (2, 1)
    assert (by_locale["fr"].complete, by_locale["fr"].incomplete) == (2, 1)
    rows = {row["label"]: row for row in response.context["categories"]}
    assert sum(row["products"] for row in rows.values()) == 3
    assert max(row["products"] for row in rows.values()) >= 2
