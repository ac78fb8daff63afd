"""A request's whole life in Chromium: the rep requests, the manager approves, the account owner
approves, the manager schedules and records the call, the rep gives feedback."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from matching.indexing import search_index_rebuild
from requests_app.models import ReferenceRequest
from tests.browser.conftest import TIMEOUT_MS, login
from tests.builders import catalogue as factories
from tests.builders.requests import held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def person(browser, live_server, django_db_serialized_rollback):
    """Open a signed-in browser page for a user; each person has their own context (cookies)."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        login(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _act(page, action: str):
    return page.locator(f"form:has(input[name=action][value={action}])")


def test_a_request_from_the_rep_to_the_feedback(person, sales_rep, manager, account_owner, customer_contact):
    deal = factories.make_opportunity(sales_rep, prospect_name="Initech Bank")
    search_index_rebuild()

    # The rep requests Grace Globex for their deal.
    rep = person("sally")
    rep.goto(f"/sales/requests/new/?contact={customer_contact.pk}&opportunity={deal.pk}")
    rep.select_option("select[name=activity_type]", label="Reference call")
    rep.click("form button[type=submit].primary")
    rep.wait_for_url(re.compile(r"/sales/requests/\d+/$"))
    request_id = int(re.search(r"/requests/(\d+)/", rep.url).group(1))
    assert ReferenceRequest.objects.get(pk=request_id).status == "submitted"

    # The manager finds it in the inbox, claims it and approves it with the contact.
    mgr = person("maria")
    mgr.goto("/manage/")
    mgr.click(f"a:text-is('#{request_id}')")
    _act(mgr, "claim").locator("button").click()
    mgr.wait_for_selector("text=is now in review")
    approve = _act(mgr, "approve")
    approve.locator("select[name=contact]").select_option(str(customer_contact.pk))
    approve.locator("button").click()
    mgr.wait_for_selector("text=is now awaiting account owner")

    # The account owner answers in the sales portal's Approvals.
    owner = person("olivia")
    owner.goto("/sales/approvals/")
    owner.click("a:text-is('Answer')")
    owner.fill("textarea[name=note]", "Fine — Globex is happy with us.")
    owner.click("button[value=owner_approve]")
    owner.wait_for_selector("text=the program will now ask the customer")
    assert ReferenceRequest.objects.get(pk=request_id).status == "customer_asked"

    # The manager schedules the call, then records it.
    mgr.goto(f"/manage/requests/{request_id}/")
    when = timezone.localtime() + timedelta(days=2)
    schedule = _act(mgr, "schedule")
    schedule.locator("input[name=scheduled_for]").fill(when.strftime("%Y-%m-%dT10:00"))
    schedule.locator("button").click()
    mgr.wait_for_selector("text=is now scheduled")
    held(ReferenceRequest.objects.get(pk=request_id))  # the call's time comes: it can be recorded
    mgr.reload()
    mgr.click("a:text-is('Record the activity')")
    mgr.fill("input[name=duration_minutes]", "45")
    mgr.fill("textarea[name=note]", "The prospect's CIO asked about the migration.")
    mgr.click("button:text-is('Record and complete')")
    mgr.wait_for_selector("text=Activity recorded")
    assert ReferenceRequest.objects.get(pk=request_id).status == "completed"

    # The rep gives feedback; the request closes.
    rep.goto(f"/sales/requests/{request_id}/")
    rep.check("input[name=took_place][value=yes]")
    rep.check("input[name=helpfulness][value='5']")
    rep.click("button:text-is('Send feedback')")
    rep.wait_for_selector("text=your feedback is recorded")
    request = ReferenceRequest.objects.get(pk=request_id)
    assert request.status == "closed" and request.feedback.helpfulness == 5
    assert not (rep.js_errors or mgr.js_errors or owner.js_errors)
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
