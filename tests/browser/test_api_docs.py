"""The API's docs in a browser: Swagger UI from our own static files renders every operation of
the schema under the site's Content Security Policy, with nothing refused and no console error;
and a key made on the profile page, shown once, opens the API."""

import pytest

from core.roles import Role
from tests.browser.conftest import login
from tests.browser.test_every_page import RECORD_CSP
from tests.builders import catalogue

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    page.add_init_script(RECORD_CSP)
    console: list[str] = []
    page.on("console", lambda message: message.type == "error" and console.append(message.text))
    return console


def test_the_docs_render_every_operation_within_the_csp(page):
    catalogue.make_user("sally", Role.SALES, first_name="Sally")
    console = _watch(page)
    login(page, "sally")

    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/requests/" in paths and "/api/references/" in paths and "/api/" in paths
    assert page.locator(".opblock").count() >= 6
    assert page.evaluate("window.__cspViolations") == []
    assert console == [] and page.js_errors == []


def test_a_key_made_on_the_profile_page_is_shown_once_and_opens_the_api(page, browser, live_server):
    catalogue.make_user("sally", Role.SALES, first_name="Sally")
    console = _watch(page)
    login(page, "sally")

    page.click("header a.user-name")
    page.fill("input[name=name]", "My laptop script")
    page.check("input[name=scopes][value=read]")
    page.click("form.card button[type=submit]")
    raw_key = page.inner_text("#new-key").strip()

    machine = browser.new_context(base_url=live_server.url)  # no session: the key alone
    assert machine.request.get("/api/tasks/").status == 401
    assert machine.request.get("/api/tasks/", headers={"Authorization": f"Api-Key {raw_key}"}).status == 200
    machine.close()
    page.goto("/profile/")
    assert raw_key not in page.content() and "My laptop script" in page.content()
    assert page.evaluate("window.__cspViolations") == [] and console == []
