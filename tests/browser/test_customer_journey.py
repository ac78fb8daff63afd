"""The customer's journey, in the browser: a contact asks for a sign-in link (read from the test
outbox), continues, accepts an ask with three times; the manager schedules one in one click;
after the activity the contact gives feedback; then lowers their cap and stops doing site
visits, and a sales search for site visits no longer offers them."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

import notifications.tasks  # noqa: F401 - the worker's tasks: the ask's emails go out too
from core.roles import Role
from customers.models import CustomerFeedback
from references.models import ParticipationPreferences
from requests_app.models import OfferedSlot
from requests_app.statuses import RequestStatus
from tests.browser.conftest import TIMEOUT_MS, login
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from tests.builders.search import index, make_reference
from tests.customers.broker import work_off

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^\s\"<>]+(/portal/link/[^\s\"<>/]+/)")


def _new_window(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_a_customer_answers_an_ask_gives_feedback_and_changes_how_they_take_part(
    page, browser, live_server, broker
):
    owner = factories.make_user("olivia", Role.SALES, first_name="Olivia", last_name="Owner")
    maria = factories.make_user("maria", Role.MANAGER, first_name="Maria", last_name="Manager")
    sally = factories.make_user("sally", Role.SALES, first_name="Sally", last_name="Seller")
    greta = make_reference(
        owner, name="Globex Insurance", activity_types=("reference_call", "site_visit"), prefs={}
    )
    greta.email = "greta@globex.test"
    greta.save(update_fields=["email"])
    index()
    ask = drive_to(make_request(sally, greta), RequestStatus.CUSTOMER_ASKED, greta, maria)

    # Greta asks for a link on her phone; the worker emails it; she opens it and continues.
    phone = _new_window(browser, live_server)
    phone.goto("/portal/")
    phone.get_by_role("link", name="Sign in").click()
    phone.fill("input[name=email]", "greta@globex.test")
    phone.get_by_role("button", name="Email me a sign-in link").click()
    work_off(broker)
    to_greta = [message for message in mail.outbox if message.to == ["greta@globex.test"]]
    link = LINK.search(to_greta[-1].body).group(1)  # the newest link; it cancelled the ask email's
    phone.goto(link)
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url(lambda url: "/portal/link/" not in url)

    # She accepts the ask with three times.
    phone.goto("/portal/asks/")
    phone.locator(f"a[href='/portal/asks/{ask.pk}/']").first.click()
    first_day = timezone.localdate() + timedelta(days=3)
    for n in range(1, 4):
        phone.fill(f"#id_date_{n}", (first_day + timedelta(days=n)).isoformat())
        phone.fill(f"#id_time_{n}", "10:00")
    phone.get_by_role("button", name="Send my times").click()
    expect(phone.locator(".messages")).to_be_visible()
    assert OfferedSlot.objects.filter(request=ask).count() == 3

    # The manager schedules one of them in one click.
    login(page, "maria")
    page.goto(f"/manage/requests/{ask.pk}/")
    page.locator("section[aria-labelledby=slots-h] button").first.click()
    expect(page.locator(".message.success")).to_be_visible()
    ask.refresh_from_db()
    assert ask.status == RequestStatus.SCHEDULED
    assert (
        ask.scheduled_for == OfferedSlot.objects.filter(request=ask).order_by("starts_at").first().starts_at
    )

    # The call takes place; Greta tells how it went.
    drive_to(ask, RequestStatus.COMPLETED, greta, maria)
    phone.goto(f"/portal/feedback/{ask.pk}/")
    phone.locator("input[name=rating][value='5']").check()
    phone.fill("textarea[name=comment]", "A good conversation about the migration.")
    phone.get_by_role("button", name="Send my feedback").click()
    assert CustomerFeedback.objects.get(request=ask).rating == 5

    # She lowers her cap and stops doing site visits.
    site_visit = factories.activity_type("site_visit")
    phone.goto("/portal/preferences/")
    phone.fill("input[name=own_cap_per_quarter]", "1")
    phone.locator(f"input[name=activity_types][value='{site_visit.pk}']").uncheck()
    phone.get_by_role("button", name="Save my preferences").click()
    expect(phone.locator(".messages")).to_be_visible()
    preferences = ParticipationPreferences.objects.get(contact=greta)
    assert preferences.own_cap_per_quarter == 1
    assert not preferences.activity_types.filter(pk=site_visit.pk).exists()

    # A sales search for site visits no longer offers her; one for calls still does.
    rep = _new_window(browser, live_server)
    login(rep, "sally")
    rep.goto(f"/sales/search/?activity={site_visit.pk}")
    expect(rep.locator("#result-count")).to_be_visible()
    expect(rep.locator("main")).not_to_contain_text("Globex Insurance")
    rep.goto(f"/sales/search/?activity={factories.activity_type('reference_call').pk}")
    expect(rep.locator("main")).to_contain_text("Globex Insurance")
    assert page.js_errors == []
