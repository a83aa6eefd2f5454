"""The admin as a product: its name, where "view site" leads, and error pages in its style."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_product_name_and_view_site_opens_the_api_docs(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "<title>Catalog, content and channels | Fashion PIM</title>" in page
    assert "Django administration" not in page
    assert 'href="/api/v1/docs/">View site</a>' in page
    assert admin_client.get("/api/v1/docs/").status_code == 200


def test_a_refused_page_is_styled_and_says_why(client):
    user = User.objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:catalog_productcompleteness_changelist"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "admin/css/base.css" in page and "You may not do this" in page
    assert "Nothing was changed" in page


def test_an_unknown_page_is_styled(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


@pytest.mark.parametrize("model", ["stores_storestock", "api_webhookevent", "catalog_job",
                                   "catalog_productcompleteness"])
def test_records_the_system_writes_cannot_be_added_or_deleted_in_the_admin(admin_client, model):
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403
    changelist = admin_client.get(reverse(f"admin:{model}_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
