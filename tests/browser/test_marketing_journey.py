"""Marketing's case study reaches a deal in Chromium: marketing publishes it, a rep whose every
matching reference is at its limit is offered it by the search, opens it, records its use on
the deal and shares its link; marketing sees the use counted."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketing.models import Asset, AssetUse
from tests.browser.conftest import login
from tests.builders import catalogue as factories
from tests.builders.library import make_asset
from tests.builders.search import index, make_reference, product

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4 Globex cut fraud losses by 40%\n"


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


def _publish_case_study(marketer) -> Asset:
    """Marketing publishes a case study about a bank on Analytics Cloud."""
    return make_asset(
        marketer,
        title="Globex Bank cuts fraud by 40%",
        summary="How Globex Bank found fraud in real time with Analytics Cloud.",
        industries=[factories.industry("52")],
        products=[product("Analytics Cloud")],
        file_bytes=PDF,
    )


def test_a_rep_whose_references_are_all_busy_uses_a_case_study_instead(
    browser, live_server, sales_rep, marketer, held_references
):
    deal = factories.make_opportunity(
        sales_rep, prospect_name="Prospect Bank", products=[product("Analytics Cloud")]
    )
    asset = _publish_case_study(marketer)

    marketing = _person(browser, live_server)
    login(marketing, "mark")
    marketing.goto("/content/assets/")
    row = marketing.locator(f"#asset-{asset.pk}")
    expect(row).to_contain_text("Globex Bank cuts fraud by 40%")
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
    offer.get_by_role("link", name="Globex Bank cuts fraud by 40%").click()

    # The asset's page: the story, then its use on the deal: downloaded, then shared by a link.
    expect(rep.get_by_role("heading", name="Globex Bank cuts fraud by 40%")).to_be_visible()
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
    expect(prospect.get_by_role("heading", name="Globex Bank cuts fraud by 40%")).to_be_visible()

    # Marketing sees the uses counted.
    marketing.reload()
    expect(marketing.locator(f"#asset-{asset.pk} .use-count")).to_have_text("2")
    assert rep.js_errors == [] and marketing.js_errors == [] and prospect.js_errors == []
    for page in (marketing, rep, prospect):
        page.context.close()
