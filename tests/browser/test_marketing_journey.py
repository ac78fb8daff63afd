"""Marketing's case study reaches a deal in Chromium: marketing publishes it, a rep whose every
matching reference is at its limit is offered it by the search, opens it, records its use on
the deal and shares its link; marketing sees the use counted."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketing.models import Asset, AssetUse
from marketing.statuses import AssetKind
from tests.browser.conftest import login
from tests.builders import catalogue as factories
from tests.builders.marketing import grant_needed
from tests.builders.search import index, make_reference, product

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Globex Bank cuts fraud by 40%"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def held_references(account_owner):
    """Two banks using Analytics Cloud, both resting after a call last week."""
    for name in ("Acme Savings", "Brightline Bank"):
        contact = make_reference(account_owner, name=name, products=("Analytics Cloud",))
        factories.make_activity(contact, timezone.localdate() - timedelta(days=5))
    index()


def _person(browser, live_server, **options):
    """A page of its own (one person), with the page's uncaught JavaScript errors in `js_errors`."""
    page = browser.new_context(base_url=live_server.url, **options).new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def _publish_case_study(marketing, manager) -> Asset:
    """Marketing writes a case study about Globex Bank in /content/, sends it for the customer's
    approval and records it; a reference manager approves legal review and publishes it."""
    marketing.goto("/content/assets/new/")
    marketing.get_by_label("Title").fill(TITLE)
    marketing.get_by_label("Kind").select_option(label="Case study")
    marketing.get_by_label("Summary").fill("How Globex Bank found fraud in real time with Analytics Cloud.")
    marketing.locator("#id_upload").set_input_files(
        {"name": "globex-case-study.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    marketing.get_by_label("Usage rights").select_option(label="Public")
    marketing.get_by_label("Accounts").select_option(label="Globex Bank")
    marketing.get_by_label("Analytics Cloud", exact=True).check()
    marketing.get_by_label("Finance and Insurance", exact=True).check()
    marketing.get_by_role("button", name="Save").click()
    expect(marketing.get_by_role("heading", name=TITLE)).to_be_visible()
    marketing.get_by_role("button", name="Send for customer approval").click()
    marketing.get_by_label("How the customer approved").fill("Signed release from their CISO.")
    marketing.get_by_role("button", name="Record the customer's approval").click()
    expect(marketing.locator(".lead .badge")).to_have_text("Legal review")

    asset = Asset.objects.get(title=TITLE)
    manager.goto(f"/content/assets/{asset.pk}/")
    manager.get_by_role("button", name="Approve legal review and publish").click()
    expect(manager.locator(".lead .badge")).to_have_text("Published")
    return asset


def test_a_rep_whose_references_are_all_busy_uses_a_case_study_instead(
    browser, live_server, sales_rep, marketer, manager, account_owner, held_references
):
    deal = factories.make_opportunity(
        sales_rep, prospect_name="Prospect Bank", products=[product("Analytics Cloud")]
    )
    globex = factories.make_account(account_owner, name="Globex Bank")
    grant_needed(globex, AssetKind.CASE_STUDY, marketer)  # Globex signed its case-study release
    marketing, program = _person(browser, live_server), _person(browser, live_server)
    login(marketing, "mark")
    login(program, "maria")
    asset = _publish_case_study(marketing, program)

    marketing.goto("/content/assets/")
    row = marketing.locator(f"#asset-{asset.pk}")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Published")
    expect(row.locator(".use-count")).to_have_text("0")

    rep = _person(browser, live_server, accept_downloads=True)
    login(rep, "sally")
    # From the deal: every bank on Analytics Cloud is resting, so the search offers the case study.
    rep.get_by_role("link", name="My deals", exact=True).click()
    rep.get_by_role("link", name="Prospect Bank").click()
    rep.locator("#main").get_by_role("link", name="Find references").click()
    expect(rep.locator("#result-count")).to_contain_text("2 references")
    offer = rep.locator("#evidence")
    expect(offer).to_contain_text("No reference is free until")
    expect(offer).to_contain_text("this case study matches")
    offer.get_by_role("link", name=TITLE).click()

    # The asset's page: the story, then its use on the deal: downloaded, then shared by a link.
    expect(rep.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(rep.locator("#use-summary")).to_have_text("Used 0 times")
    rep.get_by_label("Deal").select_option(label="Prospect Bank")
    with rep.expect_download() as download:
        rep.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == asset.file_name
    rep.get_by_label("Deal").select_option(label="Prospect Bank")
    rep.get_by_role("button", name="Get a shareable link").click()
    expect(rep.locator("#use-summary")).to_have_text("Used 2 times, in deals worth $120K")
    share_url = rep.locator("#share-url").input_value()
    assert "/shared/" in share_url
    expect(rep.locator("#main")).to_contain_text("Shared a link · Prospect Bank")
    assert set(AssetUse.objects.values_list("opportunity_id", "how")) == {
        (deal.pk, "download"),
        (deal.pk, "link"),
    }

    # The prospect opens the link without signing in.
    prospect = _person(browser, live_server)
    prospect.goto(share_url)
    expect(prospect.get_by_role("heading", name=TITLE)).to_be_visible()

    # Marketing sees the uses counted.
    marketing.reload()
    expect(marketing.locator(f"#asset-{asset.pk} .use-count")).to_have_text("2")
    assert [page.js_errors for page in (marketing, program, rep, prospect)] == [[], [], [], []]
    for page in (marketing, program, rep, prospect):
        page.context.close()
