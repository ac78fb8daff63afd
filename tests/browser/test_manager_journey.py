"""A request's whole life in Chromium: the rep requests, the manager approves, the account owner
approves, the manager schedules and records the call, the rep gives feedback."""

import os
import re
import shutil
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from matching.indexing import search_index_rebuild
from requests_app.models import ReferenceRequest
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def chromium():
    """Debian's Chromium driven by Playwright (its own browser download cannot work offline)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make browser-deps)")
    # Playwright runs an event loop in this thread; the test still talks to the database directly.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Playwright's greenlet is a new context for Django's per-context connections: close this
    # context's connection now so none is left open when the test database is dropped.
    connections.close_all()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
        connections.close_all()


def _signed_in(chromium, live_server, username: str):
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _act(page, action: str):
    return page.locator(f"form:has(input[name=action][value={action}])")


def test_a_request_from_the_rep_to_the_feedback(
    chromium, live_server, sales_rep, manager, account_owner, customer_contact
):
    deal = factories.make_opportunity(sales_rep, prospect_name="Initech Bank")
    search_index_rebuild()

    # The rep requests Grace Globex for their deal.
    rep = _signed_in(chromium, live_server, "sally")
    rep.goto(f"{live_server.url}/sales/requests/new/?contact={customer_contact.pk}&opportunity={deal.pk}")
    rep.select_option("select[name=activity_type]", label="Reference call")
    rep.click("form button[type=submit].primary")
    rep.wait_for_url(re.compile(r"/sales/requests/\d+/$"))
    request_id = int(re.search(r"/requests/(\d+)/", rep.url).group(1))
    assert ReferenceRequest.objects.get(pk=request_id).status == "submitted"

    # The manager finds it in the inbox, claims it and approves it with the contact.
    mgr = _signed_in(chromium, live_server, "maria")
    mgr.goto(f"{live_server.url}/manage/")
    mgr.click(f"a:text-is('#{request_id}')")
    _act(mgr, "claim").locator("button").click()
    mgr.wait_for_selector("text=is now in review")
    approve = _act(mgr, "approve")
    approve.locator("select[name=contact]").select_option(str(customer_contact.pk))
    approve.locator("button").click()
    mgr.wait_for_selector("text=is now awaiting account owner")

    # The account owner answers in the sales portal's Approvals.
    owner = _signed_in(chromium, live_server, "olivia")
    owner.goto(f"{live_server.url}/sales/approvals/")
    owner.click("a:text-is('Answer')")
    owner.fill("textarea[name=note]", "Fine — Globex is happy with us.")
    owner.click("button[value=owner_approve]")
    owner.wait_for_selector("text=the program will now ask the customer")
    assert ReferenceRequest.objects.get(pk=request_id).status == "customer_asked"

    # The manager schedules the call, then records it.
    mgr.goto(f"{live_server.url}/manage/requests/{request_id}/")
    when = timezone.localtime() + timedelta(days=2)
    schedule = _act(mgr, "schedule")
    schedule.locator("input[name=scheduled_for]").fill(when.strftime("%Y-%m-%dT10:00"))
    schedule.locator("button").click()
    mgr.wait_for_selector("text=is now scheduled")
    mgr.click("a:text-is('Record the activity')")
    mgr.fill("input[name=duration_minutes]", "45")
    mgr.fill("textarea[name=note]", "The prospect's CIO asked about the migration.")
    mgr.click("button:text-is('Record and complete')")
    mgr.wait_for_selector("text=Activity recorded")
    assert ReferenceRequest.objects.get(pk=request_id).status == "completed"

    # The rep gives feedback; the request closes.
    rep.goto(f"{live_server.url}/sales/requests/{request_id}/")
    rep.check("input[name=took_place][value=yes]")
    rep.check("input[name=helpfulness][value='5']")
    rep.click("button:text-is('Send feedback')")
    rep.wait_for_selector("text=your feedback is recorded")
    request = ReferenceRequest.objects.get(pk=request_id)
    assert request.status == "closed" and request.feedback.helpfulness == 5
    actions = list(request.events.values_list("action", flat=True))
    assert actions == [
        "submit",
        "claim",
        "approve",
        "owner_approve",
        "schedule",
        "record_activity",
        "feedback",
        "close",
    ]
