"""Abuse limits of the admin: login throttling and the Content-Security-Policy."""
import pytest
from django.test import Client

from tests import factories

LOGIN = "/admin/login/?next=/admin/"


def _login(client, password, username="admin"):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_out_even_for_the_right_one(settings):
    user = factories.SuperUserFactory(username="admin")
    user.set_password("the-right-one")
    user.save()
    client = Client()
    statuses = [_login(client, f"wrong-{attempt}").status_code
                for attempt in range(settings.AXES_FAILURE_LIMIT)]
    # The form again with its error, until the failure that reaches the limit.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = _login(client, "the-right-one")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by these failures.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert _login(other, "the-right-one").status_code == 302


@pytest.mark.django_db
def test_a_few_wrong_passwords_then_the_right_one_logs_in():
    user = factories.SuperUserFactory(username="admin")
    user.set_password("the-right-one")
    user.save()
    client = Client()
    for attempt in range(3):
        _login(client, f"wrong-{attempt}")
    response = _login(client, "the-right-one")
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_admin_and_api_docs_send_a_content_security_policy(admin_client):
    for path in ("/admin/", "/admin/login/", "/api/v1/docs/"):
        policy = admin_client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", path
        assert directives["object-src"] == "'none'"
        assert "https://" not in directives["default-src"]


@pytest.mark.django_db
def test_a_post_over_the_size_limit_gets_a_page_that_says_so(admin_client, settings):
    product = factories.ProductFactory()
    before = product.description_en
    response = admin_client.post(
        f"/admin/catalog/product/{product.pk}/change/",
        {"description_en": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page and "at most 8 MB" in page
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 8 * 1024 * 1024  # what the page says
    product.refresh_from_db()
    assert product.description_en == before
