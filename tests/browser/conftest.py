"""Pages in a real headless Chromium: Debian's package, driven by Playwright.

Every page a test opens fails the test on a console error or on a request to any host but the
test server. Screenshots of each test go to ``.test-screenshots/``.
"""
import os
import shutil
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".test-screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright runs an event loop in the test's thread while it is open; the ORM calls of
    # the test itself are still made synchronously, one at a time.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class PageProblems:
    def __init__(self, origin: str):
        self.origin = origin
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []

    def request(self, request):
        if not request.url.startswith((self.origin, "data:", "blob:")):
            self.foreign_requests.append(request.url)

    def console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def page(chromium, live_server, request):
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, base_url=live_server.url)
    problems = PageProblems(live_server.url)
    page = context.new_page()
    page.on("request", problems.request)
    page.on("console", problems.console)
    page.on("pageerror", lambda error: problems.console_errors.append(str(error)))
    page.problems = problems
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=False)
    context.close()
    assert not problems.console_errors, problems.console_errors
    assert not problems.foreign_requests, problems.foreign_requests


@pytest.fixture
def admin_page(page, admin_user):
    admin_user.set_password("browser-pass")
    admin_user.save()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "browser-pass")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page
