"""The product page's layout (catalog.admin.product_page): tabs, error list, weight, queries."""
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.admin.product_page import html_compacted
from catalog.services.photos import photo_add
from media import conf as media_settings
from media.services import renditions_generate
from tests import factories
from tests.forms import errors_of, form_data
from tests.media import builders

pytestmark = pytest.mark.django_db
SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL"]


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def build(colours: int, photos: int, sizes: int, markets=("FR", "PL", "GB")):
    product = factories.ProductFactory()
    for position, size in enumerate(SIZES[:sizes]):
        factories.SizeChartRowFactory(product=product, size_label=size, position=position)
    factories.CompositionLineFactory(product=product)
    for country in markets:
        factories.ShippingRateFactory(product=product, brand=None, country=country)
    for c in range(colours):
        colour = factories.ColourFactory(product=product, code=f"C{c}", position=c)
        for size in SIZES[:sizes]:
            factories.VariantFactory(colour=colour, size_label=size)
        for i in range(photos):
            photo = photo_add(colour=colour, file=SimpleUploadedFile(
                f"{c}-{i}.jpg", builders.jpeg(colour=(10 * c, 20 * i, 90))))
            renditions_generate(asset=photo.asset,
                                specs=[media_settings.get("MEDIA_THUMBNAIL_SPEC")])
    return product


def test_the_page_takes_the_same_queries_whatever_its_photos_and_sizes(
    admin_client, django_assert_num_queries
):
    """Each colour reads its photos (with their thumbnails) and its variants: three queries a
    colour, none a photo, a size, a market or a row of any other list."""
    factories.ChannelFactory()
    small, large = build(4, 1, 1, markets=("FR",)), build(4, 10, 8)
    admin_client.get(change_url(small))
    with django_assert_num_queries(30) as queries:
        assert admin_client.get(change_url(small)).status_code == 200
    with django_assert_num_queries(len(queries.captured_queries)):
        response = admin_client.get(change_url(large))
    html = response.content.decode()
    assert form_data(response)["colours-3-photos-9-role"] == "detail"  # the tenth's role
    # The country list is not in the page (only each row's own choice): a script the
    # browser keeps carries it.
    assert html.count('<option value="PL"') == 1
    # What the page shows posts back as it is.
    response = admin_client.post(change_url(large), form_data(response))
    assert response.status_code == 302, errors_of(response)


def test_each_error_is_listed_with_its_tab_and_a_link_to_its_field(admin_client, dress):
    data = form_data(admin_client.get(change_url(dress)))
    data["colours-0-variants-0-gtin"] = "4006381333932"
    data["fit_type"] = "tight"
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 200
    errors = {(e.tab, e.target) for e in response.context["page_errors"]}
    assert errors == {("colours", "id_colours-0-variants-0-gtin"), ("fit", "id_fit_type")}
    tabs = {tab.key: tab.errors for tab in response.context["page_tabs"]}
    assert (tabs["colours"], tabs["fit"], tabs["identity"]) == (1, 1, 0)
    html = response.content.decode()
    assert 'href="#id_colours-0-variants-0-gtin" data-pp-jump>Colours #1 › variants #1 › GTIN</a>' in html


def test_the_pages_html_loses_indentation_but_not_what_text_areas_hold():
    html = ('<div>\n      <p>\n   text</p>\n  <textarea name="a">\n  two\n    spaces</textarea>'
            '\n <input aria-describedby="gone_helptext"><span id="kept"></span>'
            '<input aria-describedby="kept gone">'
            '<div data-inline-formset="{&quot;name&quot;: &quot;#a&#x27;s&quot;}">'
            '<input type="text" name="b-0-sku" id="id_b-0-sku"><select name="d" id="id_d">'
            '<select name="c" id="own"><p>x-data-inline-formset="&quot;"</p>')
    assert html_compacted(html) == (
        '<div>\n<p>\ntext</p>\n<textarea name="a">\n  two\n    spaces</textarea>'
        '\n<input><span id="kept"></span><input aria-describedby="kept">'
        '<div data-inline-formset=\'{"name": "#a&#x27;s"}\'>'
        # Django's own id of a field is given back by product_form.js; another id is kept.
        '<input type="text" name="b-0-sku"><select name="d"><select name="c" id="own">'
        '<p>x-data-inline-formset="&quot;"</p>')  # not the attribute: as it was


def test_size_chart_rows_show_in_their_order_with_the_new_row_last(admin_client):
    product = factories.ProductFactory()
    for position, size in [(2, "L"), (0, "S"), (1, "M")]:
        factories.SizeChartRowFactory(product=product, size_label=size, position=position)
    html = admin_client.get(change_url(product)).content.decode()
    group = html[html.index('id="size_chart_rows-group"'):]
    group = group[:group.index("</table>")]
    # The first stored row in markup, the others as data that product_form.js copies it for.
    first = group.index('value="S"')
    data = re.search(r'<script data-pp-rows="(size_chart_rows-\d+)" type="application/json">'
                     r'(.*?)</script>', group)
    assert group.index(f'id="{data[1]}"') < first < data.start()
    assert [row[1] for row in json.loads(data[2])] == ["M", "L"]
    assert group.count('class="djn-tbody djn-item djn-inline-form has_original"') == 1
    assert group.index('id="size_chart_rows-empty"') > data.end()
    assert 'class="djn-td field-eu"' in group and 'class="add-row"' in group


def test_stored_rows_sent_as_data_post_back_as_they_were(admin_client):
    """Rows and photos after the first come as data (their inputs are built in the browser);
    read as a browser reads them, the page posts every row and photo unchanged."""
    factories.ChannelFactory()
    product = build(1, 3, 3)
    photos = list(product.colours.get().photos.values_list("pk", "position", "role", "asset"))
    response = admin_client.get(change_url(product))
    html = response.content.decode()
    assert html.count('<script data-pg-tiles="colours-0-photos-0"') == 1
    assert html.count('class="djn-item djn-inline-form pg-tile has_original"') == 1
    data = form_data(response)
    assert data["colours-0-photos-2-role"] == photos[2][2]
    assert [data[f"colours-0-variants-{i}-size_label"] for i in range(3)] == SIZES[:3]
    assert [data[f"size_chart_rows-{i}-size_label"] for i in range(3)] == SIZES[:3]
    variant = product.colours.get().variants.get(pk=data["colours-0-variants-2-id"])
    data["colours-0-variants-2-sku"] = "NEW-SKU"
    assert admin_client.post(change_url(product), data).status_code == 302
    variant.refresh_from_db()
    assert variant.sku == "NEW-SKU" and product.colours.get().variants.count() == 3
    assert list(product.size_chart_rows.values_list("size_label", flat=True)) == SIZES[:3]
    assert list(product.colours.get().photos.values_list(
        "pk", "position", "role", "asset")) == photos


def test_a_closed_photo_posts_its_alt_texts_unchanged_and_takes_new_ones(admin_client):
    """A stored photo's tile carries its role and alt texts as hidden inputs (the editor is
    built in the browser when it is opened): what is not touched saves as it was."""
    factories.ChannelFactory()
    product = build(1, 1, 1)
    photo = product.colours.get().photos.get()
    type(photo).objects.filter(pk=photo.pk).update(alt_text_en="Red dress", alt_text_pl="Sukienka")
    response = admin_client.get(change_url(product))
    html = response.content.decode()
    assert '<input type="hidden" name="colours-0-photos-0-alt_text_pl" value="Sukienka">' in html
    assert 'name="colours-0-photos-0-alt_text_fr"' not in html  # empty: not posted, read as empty
    data = form_data(response)
    assert admin_client.post(change_url(product), data).status_code == 302, errors_of(response)
    photo.refresh_from_db()
    assert (photo.role, photo.alt_text_en, photo.alt_text_pl, photo.alt_text_fr or "") == (
        "front", "Red dress", "Sukienka", "")

    data = form_data(admin_client.get(change_url(product)))
    data["colours-0-photos-0-alt_text_fr"] = "Robe rouge"
    data["colours-0-photos-0-alt_text_pl"] = ""
    response = admin_client.post(change_url(product), data)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.alt_text_en, photo.alt_text_pl or "", photo.alt_text_fr) == (
        "Red dress", "", "Robe rouge")


def test_the_shared_option_lists_come_in_a_script_the_browser_keeps(admin_client, dress):
    factories.ShippingRateFactory(product=dress, brand=None, country="FR")
    html = admin_client.get(change_url(dress)).content.decode()
    url = re.search(r'<script src="(/admin/catalog/product/choices\.js\?v=\w+)"></script>',
                    html)[1]
    response = admin_client.get(url)
    assert response["Content-Type"].startswith("text/javascript")
    cache = response["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache
    lists = json.loads(response.content.decode().removeprefix("window.ppChoices = ").rstrip(";\n"))
    assert set(lists) == {"shippingrate-country", "shippingrate-currency",
                          "compositionline-fibre", "productphoto-role"}
    assert '<option value="PL">Poland</option>' in lists["shippingrate-country"]
    # An older address (lists since changed) is served the current lists, not kept.
    assert "no-cache" in admin_client.get(url[:-4] + "0000")["Cache-Control"]


def _data_scripts(html: str, kind: str) -> dict[str, list]:
    """The rows or tiles sent as data, by the row or tile they are copies of."""
    return {source: json.loads(text) for source, text in re.findall(
        rf'<script {kind}="([\w-]+)" type="application/json">(.*?)</script>', html)}


def test_rows_and_photos_sent_as_data_carry_what_their_forms_show_without_building_them(
        admin_client):
    from catalog.admin.product import SizeChartInline, VariantInline

    factories.ChannelFactory()
    product = build(1, 3, 3)
    colour = product.colours.get()
    last = colour.photos.order_by("position").last()
    colour.photos.filter(pk=last.pk).update(alt_text_en="", alt_text_pl='Zdjęcie <3> & "cudzysłów"')
    product.size_chart_rows.filter(position=1).update(chest_cm="91.5", eu="", jp="<b>")
    response = admin_client.get(change_url(product))
    html = response.content.decode()
    [colours] = [fs.formset for fs in response.context["inline_admin_formsets"]
                 if fs.formset.prefix == "colours"]
    [size_chart] = [fs.formset for fs in response.context["inline_admin_formsets"]
                    if fs.formset.prefix == "size_chart_rows"]
    nested = {fs.prefix: fs for fs in colours.forms[0].nested_formsets}
    rows = _data_scripts(html, "data-pp-rows")
    assert set(rows) == {"size_chart_rows-0", "colours-0-variants-0"}
    checked = 0
    for formset, names in ((size_chart, SizeChartInline.fields),
                           (nested["colours-0-variants"], VariantInline.fields)):
        for index, name, pk, *values in rows[f"{formset.prefix}-0"]:
            form = formset.forms[index]
            assert not form.is_built  # the page was written without it
            assert (name, pk) == (str(form.instance), form["id"].value())
            assert values == [form[n].field.widget.format_value(form[n].value()) for n in names]
            assert form.is_built
            checked += 1
    [tiles] = _data_scripts(html, "data-pg-tiles").values()
    photos = nested["colours-0-photos"]
    for index, pk, position, thumbnail, caption, values in tiles:
        form = photos.forms[index]
        assert not form.is_built
        assert [pk, position, thumbnail, caption, values] == [
            form["id"].value(), form["position"].value(), form.thumbnail(), form.caption(),
            form.editor_data()]
        checked += 1
    assert checked == 2 + 2 + 2  # after each list's first, written out
    assert ["alt_text_pl", 'Zdjęcie <3> & "cudzysłów"'] in tiles[-1][-1]
    assert "alt_text_en" not in dict(tiles[-1][-1])  # empty: not sent, read as empty
    assert r'"\u003Cb\u003E"' in html  # the data cannot close its script


def test_a_page_posted_back_with_errors_writes_every_row_and_photo(admin_client):
    factories.ChannelFactory()
    product = build(2, 3, 3)
    data = form_data(admin_client.get(change_url(product)))
    data["colours-1-variants-2-gtin"] = "4006381333932"
    response = admin_client.post(change_url(product), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-pp-rows" not in html and "data-pg-tiles" not in html
    for prefix in ("colours-0-variants", "colours-1-variants", "size_chart_rows"):
        assert all(f'id="{prefix}-{i}"' in html for i in range(3)), prefix
    assert html.count('class="djn-item djn-inline-form pg-tile has_original"') == 6


@pytest.mark.parametrize("posted", [False, True], ids=["loaded", "posted with errors"])
def test_the_fieldsets_written_in_python_are_the_admin_templates_markup(
        admin_client, monkeypatch, posted):
    """The main form's fieldsets and each colour's (catalog.admin.fieldsets) as the admin's
    and nested_admin's templates write them: labels, help, read-only and multi-field lines,
    errors."""
    factories.ChannelFactory()
    product = build(2, 1, 1)
    data = form_data(admin_client.get(change_url(product)))
    data.update({"fit_type": "tight", "model_height_cm": "tall", "colours-1-code": ""})

    def page() -> str:
        response = (admin_client.post(change_url(product), data) if posted
                    else admin_client.get(change_url(product)))
        assert response.status_code == 200
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())

    in_python = page()
    for module in ("catalog.admin.product_page", "catalog.templatetags.product_page"):
        monkeypatch.setattr(f"{module}.fieldset_template_is_own", lambda *args: False)
    through_templates = page()
    assert in_python == through_templates
    assert 'class="form-row field-model_height_cm field-model_size"' in in_python
    assert ('class="form-row errors field-fit_type"' in in_python) is posted
    assert ("djn-form-row-last" in in_python and 'class="readonly"' in in_python
            and "Products sit in leaf categories." in in_python)
