"""The search works with JavaScript off: a plain GET form with a shareable URL."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_options() -> dict:
    return {"viewport": {"width": 390, "height": 844}, "java_script_enabled": False}


def test_filters_apply_with_a_plain_form_on_a_phone(page, sales_rep, account_owner):
    make_reference(account_owner, name="Acme Savings")
    make_reference(account_owner, name="Cobalt Manufacturing", industry="31")
    index()
    manufacturing = factories.industry("31")
    login(page, "sally")
    page.goto("/sales/search/")
    expect(page.locator("#result-count")).to_contain_text("2 references")
    # On a phone the filters are folded under the results' count; a tap opens them, no script.
    expect(page.locator(f"#f-industry-{manufacturing.pk}")).to_be_hidden()
    page.locator(".facets-toggle > summary").click()

    page.locator(f"#f-industry-{manufacturing.pk}").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator("#result-count")).to_contain_text("1 reference")
    expect(page.locator(".ref-card .ref-account")).to_have_text(["Cobalt Manufacturing"])
    assert f"industry={manufacturing.pk}" in page.url
