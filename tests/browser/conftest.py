"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Reusable by every portal's browser tests:

- `page`: a fresh browser context and page whose relative URLs go to the live server (and
  `page.js_errors`, the page's uncaught JavaScript errors);
- `browser`: the Chromium behind it, for tests that need several people (one context each);
- `login(page, username)`: sign in through the real sign-in page (test users have password "pw");
- `browser_context_options`: override in a module for another viewport or JavaScript off.

The live server needs real commits, so these tests use a transactional database: it is emptied
after each test and restored from its serialized contents (taxonomies, role groups, default
workflows…) before the next. Mark tests `@pytest.mark.browser`; `make browser-deps` installs
Chromium.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Error as PlaywrightError

from tests.customers.broker import broker  # noqa: F401 - a fixture: the sign-in journey's worker queue

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def seeded_contents(django_db_setup, django_db_blocker) -> str:
    """The database as the migrations left it, serialized once before the first browser test."""
    with django_db_blocker.unblock():
        return connections["default"].creation.serialize_db_to_string()


@pytest.fixture
def browser(seeded_contents, live_server, django_db_serialized_rollback):
    """Chromium for one test: a fresh Playwright each time (see below)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    # The connection that restores the database before the next test must know what to restore.
    connection = connections["default"]
    if not getattr(connection, "_test_serialized_contents", None):
        connection._test_serialized_contents = seeded_contents
    # Playwright's sync API runs the test in a greenlet, a new context for Django's per-context
    # connections: close them on both sides so none is left open when the test database is
    # dropped (PostgreSQL refuses to drop a database in use).
    connections.close_all()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
        connections.close_all()
    connections.close_all()


@pytest.fixture
def browser_context_options() -> dict:
    """Override in a test module for another viewport, JavaScript off, etc."""
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(browser, live_server, browser_context_options):
    context = browser.new_context(base_url=live_server.url, **browser_context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def save_screenshot(page, path) -> None:
    """Keep a picture of the page for people to look at; it is an artefact, not an assertion.

    Chromium now and then refuses a full-page capture ("Unable to capture screenshot") while it
    lays out a tall page; one retry, then the visible part, then nothing: the checks that follow
    judge the page, and a missing picture must not fail them."""
    for full_page in (True, True, False):
        try:
            page.screenshot(path=path, full_page=full_page)
            return
        except PlaywrightError:
            page.wait_for_timeout(200)


def login(page, username: str, password: str = "pw") -> None:
    """Sign in through the sign-in page and wait to land on the user's portal."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
