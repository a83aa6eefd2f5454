"""A product's history: its own changes and its inlines', readable, in a fixed number of queries."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.history import FieldChange, product_history
from catalog.models import ShippingRate
from catalog.services.photos import photo_add, photo_update, social_image_add, video_set
from tests import factories
from tests.media import builders
from tests.workflow.conftest import jpeg_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def marta(db):
    return factories.UserFactory(username="marta", first_name="Marta", last_name="Nowak")


def as_user(obj, user):
    obj._history_user = user
    obj.save()
    return obj


_gtins = iter(range(900, 2000))


def edited_product(user, *, style_code="WD-25-0001", sku="WD-RED", sizes=("M",)):
    """A product, then changes to it and to each of its inlines, made by `user`."""
    product = factories.ProductFactory(style_code=style_code, name="Linen dress",
                                       fit_type="slim")
    product.fit_type = "relaxed"
    product.name_fr = "Robe en lin"
    product.brand = factories.BrandFactory(code="atelier", name="Atelier Nord")
    as_user(product, user)
    as_user(product, user)  # saved again with nothing changed
    colour = as_user(factories.ColourFactory.build(product=product, code="RED", name="Red"), user)
    for size in sizes:
        variant = factories.VariantFactory.build(colour=colour, size_label=size,
                                                 sku=f"{sku}-{size}")
        as_user(variant, user)
        variant.gtin = factories.valid_gtin(next(_gtins))
        as_user(variant, user)
    line = as_user(factories.CompositionLineFactory.build(product=product, fibre="flax",
                                                          percentage=100), user)
    line.fibre = "cotton"
    as_user(line, user)
    for size in sizes:
        as_user(factories.SizeChartRowFactory.build(product=product, size_label=size), user)
    rate = as_user(ShippingRate(product=product, country="FR", cost="4.95", currency="EUR",
                                min_days=2, max_days=4), user)
    rate.cost = "5.50"
    as_user(rate, user)
    photo = photo_add(colour=colour, file=jpeg_file("red.jpg"), user=user)
    photo_update(photo=photo, role="back", user=user)
    video = video_set(product=product, video_file=SimpleUploadedFile("clip.mp4", builders.video()),
                      poster_file=jpeg_file("poster.jpg"), user=user)
    video.poster = photo.asset
    as_user(video, user)
    social = social_image_add(product=product, ratio="4x5", asset=photo.asset, user=user)
    social.focal_x = 30
    as_user(social, user)
    return product


def entry(entries, object_label, action):
    found = [e for e in entries if e.object == object_label and e.action == action]
    assert len(found) == 1, (object_label, action, [(e.object, e.action) for e in entries])
    return found[0]


def test_history_lists_every_change_of_the_product_and_its_inlines(marta):
    product = edited_product(marta)
    entries = product_history(product)

    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    # One edit of the product: choices as labels, related objects by name, the locale named;
    # the second save changed nothing and is not listed.
    changed = entry(entries, "Product WD-25-0001", "changed")
    assert changed.user == "Marta Nowak"
    assert changed.changes == [
        FieldChange("Brand", "Maison Demo", "Atelier Nord"),
        FieldChange("Name [fr]", "", "Robe en lin"),
        FieldChange("Fit type", "Slim", "Relaxed"),
    ]
    # A creation lists the values it was given, with no "before".
    created = entry(entries, "Product WD-25-0001", "created")
    assert created.user == ""
    assert FieldChange("Name [en]", None, "Linen dress") in created.changes
    assert all(c.old is None and c.new for c in created.changes)
    assert "Name" not in {c.field for c in created.changes}  # the locales only

    variant = entry(entries, "Variant WD-RED-M (M)", "changed")
    assert [c.field for c in variant.changes] == ["GTIN"]
    assert entry(entries, "Variant WD-RED-M (M)", "created").changes[0] == FieldChange(
        "Colour", None, "Red (RED)")
    assert entry(entries, "Colour Red (RED)", "created")
    assert entry(entries, "Composition Shell: Cotton", "changed").changes == [
        FieldChange("Fibre", "Flax (linen)", "Cotton")]
    assert entry(entries, "Size chart row M", "created")
    assert entry(entries, "Shipping override FR", "changed").changes == [
        FieldChange("Cost", "4.95", "5.5")]
    assert FieldChange("Country", None, "France") in entry(
        entries, "Shipping override FR", "created").changes
    photo = entry(entries, "Photo 1 of Red (RED)", "changed")
    assert photo.changes == [FieldChange("Role", "Front", "Back")] and photo.user == "Marta Nowak"
    assert "red.jpg" in {c.new for c in entry(entries, "Photo 1 of Red (RED)", "created").changes}
    assert entry(entries, "Video", "changed").changes == [
        FieldChange("Poster", "poster.jpg", "red.jpg")]
    video = entry(entries, "Video", "created")
    assert FieldChange("Video", None, "clip.mp4") in video.changes and video.user == "Marta Nowak"
    assert entry(entries, "Social image 4:5 (portrait feed)", "created").user == "Marta Nowak"
    assert entry(entries, "Social image 4:5 (portrait feed)", "changed").changes == [
        FieldChange("Focal point x (%)", "50", "30")]
    assert all(e.changes for e in entries if e.action != "deleted")


def test_deleted_rows_are_listed_as_deleted(marta):
    product = edited_product(marta)
    variant = product.colours.get().variants.get()
    variant._history_user = marta
    variant.delete()
    deleted = entry(product_history(product), "Variant WD-RED-M (M)", "deleted")
    assert deleted.user == "Marta Nowak" and deleted.changes == []


def test_history_is_read_in_a_fixed_number_of_queries(marta, django_assert_max_num_queries):
    few = edited_product(marta)
    # One query per history table (nine), the users with them, and the related names.
    with django_assert_max_num_queries(14) as small:
        shown = len(product_history(few))
    assert shown > 10
    many = edited_product(marta, style_code="WD-25-0002", sku="WD-BIG",
                          sizes=("XS", "S", "M", "L", "XL"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(product_history(many)) > shown


def test_history_page_in_the_admin(admin_client, marta, django_assert_max_num_queries):
    product = edited_product(marta)
    url = reverse("admin:catalog_product_history", args=[product.pk])
    with django_assert_max_num_queries(20):
        response = admin_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Variant WD-RED-M (M)", "Colour Red (RED)", "Size chart row M",
                 "Composition Shell: Cotton", "Shipping override FR", "Photo 1 of Red (RED)",
                 "Fit type", "Slim", "Relaxed", "Name [fr]", "Robe en lin", "Marta Nowak",
                 "created", "changed"):
        assert text in page, text
    assert "None" not in page
    # The change page links to it.
    change = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk]))
    assert url in change.content.decode()


def test_history_page_needs_view_permission(client, product):
    client.force_login(factories.UserFactory(is_staff=True))
    response = client.get(reverse("admin:catalog_product_history", args=[product.pk]))
    assert response.status_code == 403
