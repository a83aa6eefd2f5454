"""The admin's theme (django-admin-interface, pim.theme): Fashion PIM's, from our own server."""
import re
from urllib.parse import urlsplit

import pytest
from admin_interface.models import Theme
from admin_interface.templatetags.admin_interface_tags import get_admin_interface_theme
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pim.theme import DEFAULT_VARIABLES, FASHION_PIM
from tests import factories
from tests.forms import errors_of, form_data

pytestmark = pytest.mark.django_db
LINK = re.compile(r'\b(?:src|href|action|srcset)\s*=\s*["\']([^"\']*)["\']|url\(\s*["\']?([^"\')]*)')


def foreign_urls(html: str) -> list[str]:
    """Every URL of the page that leads to another host (or to a data: URL, but images)."""
    urls = [a or b for a, b in LINK.findall(html)]
    return [url for url in urls
            if urlsplit(url).netloc not in ("", "testserver")
            or (url.startswith("data:") and not url.startswith("data:image/gif"))]


def test_the_product_theme_is_the_active_one_after_migrations():
    theme = Theme.objects.get(active=True)
    assert Theme.objects.filter(active=True).count() == 1
    assert {field: getattr(theme, field) for field in FASHION_PIM} == FASHION_PIM
    assert (theme.title, theme.env_visible_in_header, theme.env_visible_in_favicon) == (
        "Fashion PIM", False, False)
    assert not theme.logo and not theme.favicon  # ours, from pim/static/pim/


def test_the_theme_stylesheet_holds_the_themes_variables():
    """Pages leave out the variables pim/admin-theme.css already holds: they must be the same."""
    with open(finders.find("pim/admin-theme.css")) as css:
        text = css.read()
    for name, value in DEFAULT_VARIABLES.items():
        assert f"{name}: {value};" in text
    for imported in re.findall(r'@import url\("\.\./([^"]+)"\)', text):
        assert finders.find(imported), imported


@pytest.mark.parametrize("page", ["index", "product list", "product page", "login"])
def test_admin_pages_carry_the_product_theme_and_nothing_from_another_host(request, page):
    product = factories.ProductFactory()
    path, browser = {
        "index": (reverse("admin:index"), "admin_client"),
        "product list": (reverse("admin:catalog_product_changelist"), "admin_client"),
        "product page": (reverse("admin:catalog_product_change", args=[product.pk]),
                         "admin_client"),
        "login": (reverse("admin:login"), "client"),
    }[page]
    response = request.getfixturevalue(browser).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>[^<]*Fashion PIM</title>", html)
    assert '<span>Fashion PIM</span>' in html
    assert 'src="/static/pim/logo.svg"' in html
    assert 'href="/static/pim/favicon.svg"' in html
    assert 'href="/static/pim/admin-theme.css"' in html
    assert 'class="admin-interface fashion-pim-theme' in html
    assert "--admin-interface-" not in html  # the variables are in the stylesheet
    assert "Django administration" not in html and "dark_mode.css" not in html
    assert foreign_urls(html) == []


def test_a_theme_edited_in_the_admin_reaches_every_page_with_only_what_changed(admin_client):
    theme = Theme.objects.get(active=True)
    url = reverse("admin:admin_interface_theme_change", args=[theme.pk])
    data = form_data(admin_client.get(url))
    data["css_header_background_color"] = "#102030"
    data["title"] = "Maison PIM"
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    try:
        html = admin_client.get(reverse("admin:index")).content.decode()
        assert ("<style>:root .admin-interface{"
                "--admin-interface-header-background-color:#102030;}</style>") in html
        assert "<span>Maison PIM</span>" in html
    finally:
        Theme.objects.filter(pk=theme.pk).update(**FASHION_PIM)
        theme.refresh_from_db()
        theme.save()  # drops the cached theme
        get_admin_interface_theme()  # and reads it back, as the other tests expect


def test_the_theme_page_offers_only_what_this_admin_uses(admin_client):
    theme = Theme.objects.get(active=True)
    html = admin_client.get(
        reverse("admin:admin_interface_theme_change", args=[theme.pk])).content.decode()
    assert 'name="css_header_background_color"' in html and 'name="logo"' in html
    assert 'name="related_modal_active"' not in html  # pages are never framed
    assert 'name="language_chooser_active"' not in html
    assert "Leave blank to use Fashion PIM's logo" in html
    assert "default Django logo" not in html


def test_a_bad_colour_is_refused_and_nothing_is_saved(admin_client):
    theme = Theme.objects.get(active=True)
    url = reverse("admin:admin_interface_theme_change", args=[theme.pk])
    data = form_data(admin_client.get(url))
    data["css_header_background_color"] = "</style><script>"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "css_header_background_color" in response.context["adminform"].form.errors
    theme.refresh_from_db()
    assert theme.css_header_background_color == FASHION_PIM["css_header_background_color"]


def test_the_cached_theme_costs_no_query(admin_client):
    admin_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("admin:index"))
    assert not [q for q in queries.captured_queries if "admin_interface_theme" in q["sql"]]


def test_error_pages_wear_the_theme(client, settings):
    settings.DEBUG = False
    html = client.get("/no-such-page/").content.decode()
    assert 'href="/static/pim/admin-theme.css"' in html and 'src="/static/pim/logo.svg"' in html
    assert '<body class="admin-interface">' in html
    assert foreign_urls(html) == []
