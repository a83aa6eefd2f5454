"""Screenshots of the admin's product page and product list, from the catalog in the database.

    manage.py load_demo && manage.py admin_screenshots docs/screenshots

Serves this project with ``runserver`` on a free loopback port, logs in as the first active
superuser (the demo's ``admin``) through a session made here, and drives Debian's Chromium
with Playwright at 1440x900 (the README's screenshots). The product shown is the one with the
most photos.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from catalog.models import Product

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1440, "height": 900}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _session_for(user) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


class Command(BaseCommand):
    help = "Screenshots of the product page and the product list, into OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="Folder for the PNG files, e.g. docs/screenshots.")

    def handle(self, *args, outdir, **options):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise CommandError("Playwright is not installed (pip install playwright).") from None
        if not Path(CHROMIUM).exists():
            raise CommandError(f"No Chromium at {CHROMIUM} (apt-get install chromium, or set "
                               "CHROMIUM).")
        user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by(
            "pk").first()
        product = (Product.objects.annotate(photo_count=Count("colours__photos"))
                   .order_by("-photo_count", "style_code").first())
        if user is None or product is None:
            raise CommandError("No superuser or no product: run manage.py load_demo first.")
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        origin = f"http://127.0.0.1:{port}"
        # DEBUG serves the media files; nothing else on the pages depends on it.
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=settings.BASE_DIR, env={**os.environ, "DJANGO_DEBUG": "true"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self._wait_for(origin)
            session = _session_for(user)  # before Playwright's event loop, which the ORM refuses
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context(viewport=VIEWPORT, base_url=origin)
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                      "value": session, "url": origin}])
                page = context.new_page()
                for name in self._shoot(page, product, out):
                    self.stdout.write(str(out / name))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)

    def _wait_for(self, origin: str) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{origin}/admin/login/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("The server did not start.")

    def _shoot(self, page, product, out: Path):
        def shot(name):
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out / name)
            return name

        page.goto(f"/admin/catalog/product/{product.pk}/change/")
        page.select_option("#page-locale", "fr")
        yield shot("admin-product-page.png")
        page.get_by_role("tab", name="Fit and size").click()
        page.locator("#tab-fit").scroll_into_view_if_needed()
        yield shot("admin-product-fit.png")
        page.get_by_role("tab", name="Colours and photos").click()
        yield shot("admin-product-colours.png")
        page.evaluate("window.scrollTo(0, 0)")
        only = page.locator("#completeness-only-missing")
        if only.count():
            only.check()
        yield shot("admin-product-missing.png")
        page.goto("/admin/catalog/product/")
        yield shot("admin-product-list.png")
