"""A sales rep's day in Chromium: from the deal to a request in My requests."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from requests_app.models import ReferenceRequest
from tests.browser.conftest import login
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference, product

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(account_owner):
    make_reference(account_owner, name="Acme Savings", products=("Analytics Cloud",))
    make_reference(account_owner, name="Brightline Insurance", products=("Secure Edge",), country="CA")
    make_reference(account_owner, name="Cobalt Manufacturing", industry="31", products=("Analytics Cloud",))
    index()


def test_rep_finds_a_reference_for_a_deal_requests_it_and_follows_it(page, sales_rep, catalogue):
    deal = factories.make_opportunity(
        sales_rep, prospect_name="Prospect Bank", products=[product("Analytics Cloud")]
    )
    finance, manufacturing = factories.industry("52"), factories.industry("31")
    login(page, "sally")

    # Open the deal and start from it: the search comes pre-filled with its industry, product, region.
    page.get_by_role("link", name="My deals", exact=True).click()
    page.get_by_role("link", name="Prospect Bank").click()
    page.locator("#main").get_by_role("link", name="Find references").click()
    expect(page.locator("#result-count")).to_contain_text("1 reference")
    expect(page.locator(f"#f-industry-{finance.pk}")).to_be_checked()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    # Filter by industry alone, from the keyboard: drop the product, then add Manufacturing.
    analytics = page.locator(f"#f-product-{product('Analytics Cloud').pk}")
    analytics.focus()
    page.keyboard.press("Space")
    expect(page.locator("#result-count")).to_contain_text("2 references")
    assert page.evaluate("document.activeElement.id") == f"f-product-{product('Analytics Cloud').pk}"
    page.locator(f"#f-industry-{manufacturing.pk}").check()
    expect(page.locator("#result-count")).to_contain_text("3 references")
    assert page.evaluate("window.__sameDocument") is True
    assert f"industry={manufacturing.pk}" in page.url  # the URL is shareable
    cards = page.locator(".ref-card .ref-account")
    expect(cards).to_have_text(["Acme Savings", "Brightline Insurance", "Cobalt Manufacturing"])
    expect(page.locator("#ref-" + str(_contact_id("Brightline Insurance")))).to_contain_text("Region ✓")

    # Open a result and request it.
    page.get_by_role("link", name="Brightline Insurance").click()
    expect(page.get_by_role("heading", name="Brightline Insurance")).to_be_visible()
    page.get_by_role("link", name="Request this reference").click()
    expect(page.get_by_label("First choice")).to_have_value(str(_contact_id("Brightline Insurance")))
    page.locator("#id_opportunity").select_option(str(deal.pk))  # labelled "Deal"
    page.get_by_label("Activity type").select_option(label="Reference call")
    page.get_by_label("Needed by").fill((date.today() + timedelta(days=12)).isoformat())
    page.get_by_label("Notes for the reference manager").fill("Their CIO wants a peer in insurance.")
    page.get_by_role("button", name="Submit the request").click()

    request = ReferenceRequest.objects.get()
    expect(page.locator(".message.success")).to_contain_text(f"Request #{request.pk} is submitted")
    expect(page.locator(".timeline")).to_contain_text("submitted the request")

    # And there it is in My requests.
    page.get_by_role("link", name="My requests", exact=True).click()
    row = page.locator("table.list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Brightline Insurance")
    expect(row).to_contain_text("Submitted")
    assert page.js_errors == []


def test_picking_more_than_three_results_is_prevented(page, sales_rep, account_owner):
    for n in range(5):
        make_reference(account_owner, name=f"Customer {n}")
    index()
    login(page, "sally")
    page.goto("/sales/search/")

    boxes = page.locator('input[form="request-form"][name="contact"]')
    for n in range(3):
        boxes.nth(n).check()
    expect(boxes.nth(3)).to_be_disabled()
    expect(page.locator("#result-count")).to_contain_text("5 references")  # picking is not searching
    page.get_by_role("button", name="Request selected").click()
    expect(page.get_by_role("heading", name="Request a reference")).to_be_visible()
    assert page.locator("#id_third_choice").input_value() != ""


def _contact_id(account_name: str) -> int:
    from references.models import Contact

    return Contact.objects.get(account__name=account_name).pk
