"""Category writes through the services: products stay in leaves, history names the user."""
import pytest
from django.urls import reverse

from catalog.models import Category
from catalog.services.errors import ContentError
from catalog.services.taxonomy import (
    category_create,
    category_delete,
    category_move,
    category_update,
)
from tests import factories
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    women = factories.CategoryFactory(name="Women", slug="women")
    dresses = factories.CategoryFactory(name="Dresses", slug="dresses", parent=women)
    shoes = factories.CategoryFactory(name="Shoes", slug="shoes", parent=women)
    factories.ProductFactory(category=dresses)
    return {"women": women, "dresses": dresses, "shoes": shoes}


def test_create_places_the_category_and_records_who(tree):
    user = factories.UserFactory(username="marta")
    boots = category_create(category=Category(name="Boots", slug="boots"), target=tree["shoes"],
                            position="first-child", user=user)
    assert boots.path_label == "Women > Shoes > Boots"
    assert boots.history.first().history_user == user
    sandals = category_create(category=Category(name="Sandals", slug="sandals"),
                              target=boots, position="right")
    assert [c.name for c in Category.objects.get_children(tree["shoes"])] == ["Boots", "Sandals"]
    assert category_create(category=Category(name="Men", slug="men")).is_root()
    assert sandals.depth == 3


@pytest.mark.parametrize("position", ["first-child", "last-child"])
def test_no_sub_category_under_a_category_holding_products(tree, position):
    with pytest.raises(ContentError) as refused:
        category_create(category=Category(name="Long", slug="long"), target=tree["dresses"],
                        position=position)
    assert "“Dresses” holds 1 product(s)" in refused.value.paths["target"][0]
    assert not Category.objects.filter(slug="long").exists()


def test_a_sibling_of_a_leaf_under_a_category_holding_products_is_refused(tree):
    flats = factories.CategoryFactory(name="Flats", slug="flats", parent=tree["shoes"])
    factories.ProductFactory(category=tree["shoes"])  # a broken tree made by hand
    with pytest.raises(ContentError, match="“Shoes” holds 1 product"):
        category_create(category=Category(name="Mules", slug="mules"), target=flats,
                        position="left")


def test_a_category_is_checked_before_it_is_stored(tree):
    with pytest.raises(ContentError) as refused:
        category_create(category=Category(name="", slug="not a slug"), target=tree["women"])
    assert "slug" in refused.value.paths
    assert Category.objects.count() == 3


def test_move_under_a_category_holding_products_is_refused(tree):
    with pytest.raises(ContentError, match="holds 1 product"):
        category_move(category=tree["shoes"], target=tree["dresses"], position="first-child")
    tree["shoes"].refresh_from_db()
    assert tree["shoes"].path_label == "Women > Shoes"


def test_move_into_its_own_branch_is_refused(tree):
    flats = factories.CategoryFactory(name="Flats", slug="flats", parent=tree["shoes"])
    with pytest.raises(ContentError) as refused:
        category_move(category=tree["shoes"], target=flats, position="first-child")
    assert list(refused.value.paths) == ["target"]


def test_move_keeps_history_and_recomputes_below(tree, django_capture_on_commit_callbacks,
                                                 monkeypatch):
    men = factories.CategoryFactory(name="Men", slug="men")
    user = factories.UserFactory(username="marta")
    scopes = []
    monkeypatch.setattr("catalog.tasks.completeness_recompute_scope_task.delay",
                        lambda **kw: scopes.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        moved = category_move(category=tree["dresses"], target=men, position="first-child",
                              user=user)
    assert moved.path_label == "Men > Dresses"
    assert moved.history.first().history_user == user
    assert [s["category_paths"] for s in scopes] == [[moved.path]]


def test_unknown_position_is_refused(tree):
    with pytest.raises(ContentError) as refused:
        category_move(category=tree["shoes"], target=tree["women"], position="inside")
    assert list(refused.value.paths) == ["position"]


def test_update_changes_the_profile_and_records_who(tree):
    profile = factories.ContentProfileFactory(name="Shoes", required_fields=["photos"])
    user = factories.UserFactory(username="marta")
    shoes = tree["shoes"]
    shoes.name_fr, shoes.content_profile = "Chaussures", profile
    category_update(category=shoes, user=user)
    shoes.refresh_from_db()
    assert (shoes.name_fr, shoes.effective_content_profile()) == ("Chaussures", profile)
    assert shoes.history.first().history_user == user
    shoes.slug = "bad slug"
    with pytest.raises(ContentError, match="slug"):
        category_update(category=shoes)


def test_delete_is_refused_while_products_sit_below(tree):
    with pytest.raises(ContentError) as refused:
        category_delete(category=tree["women"])
    assert refused.value.paths == {"__all__": [
        "“Women” cannot be deleted: 1 product(s) sit in it or below it. Move them to another "
        "category first."]}
    assert Category.objects.count() == 3
    category_delete(category=tree["shoes"])
    assert not Category.objects.filter(slug="shoes").exists()


# Through the admin ---------------------------------------------------------------------------
def test_admin_moving_under_a_category_holding_products_is_refused(admin_client, tree):
    url = reverse("admin:catalog_category_change", args=[tree["shoes"].pk])
    data = form_data(admin_client.get(url))
    data.update({"treebeard_position": "first-child",
                 "treebeard_ref_node": str(tree["dresses"].pk)})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "“Dresses” holds 1 product(s)" in response.content.decode()
    tree["shoes"].refresh_from_db()
    assert tree["shoes"].path_label == "Women > Shoes"


def test_admin_drag_and_drop_goes_through_the_service(admin_client, tree):
    move = reverse("admin:catalog_category_changelist") + "move/"
    refused = admin_client.post(move, {"node": tree["shoes"].pk, "target": tree["dresses"].pk,
                                       "relation": "child"})
    assert refused.status_code == 400
    tree["shoes"].refresh_from_db()
    assert tree["shoes"].path_label == "Women > Shoes"
    men = factories.CategoryFactory(name="Men", slug="men")
    assert admin_client.post(move, {"node": tree["shoes"].pk, "target": men.pk,
                                    "relation": "child"}).status_code == 200
    tree["shoes"].refresh_from_db()
    assert tree["shoes"].path_label == "Men > Shoes"


def test_admin_delete_of_a_category_with_products_is_refused_with_a_message(admin_client, tree):
    url = reverse("admin:catalog_category_delete", args=[tree["dresses"].pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "“Dresses” cannot be deleted: 1 product(s)" in response.content.decode()
    assert Category.objects.filter(pk=tree["dresses"].pk).exists()
    url = reverse("admin:catalog_category_delete", args=[tree["shoes"].pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Category.objects.filter(pk=tree["shoes"].pk).exists()


def test_admin_drag_and_drop_with_bad_input_is_a_bad_request(admin_client, tree):
    move = reverse("admin:catalog_category_changelist") + "move/"
    for bad in ({"node": "x", "target": tree["women"].pk, "relation": "child"},
                {"node": tree["shoes"].pk, "target": 10**30, "relation": "child"},
                {"node": tree["shoes"].pk, "target": tree["women"].pk, "relation": "inside"}):
        assert admin_client.post(move, bad).status_code == 400
