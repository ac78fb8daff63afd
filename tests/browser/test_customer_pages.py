"""Every page of the customer portal, on a phone and on a laptop, in English and in German.

The pages are the routes of the `customer` namespace, read from the URL map, so a new page is
visited without a change here (a new id route fails until `_ids` names its object). The contact
has an open ask, a done request waiting for their feedback, a blackout with a runaway word and an
activity. On each page: it fits the window, shows no console error or CSP violation, axe-core
finds nothing serious or critical, and it speaks the contact's language. Routes that only take
POSTs (405 to a GET) and downloads are not pages, and are left out.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from core.roles import Role
from customers.giveback import giveback_record
from customers.links import portal_link_mint, sign_in_lifetime
from customers.sessions import portal_session_start
from customers.statuses import GiveBackKind
from references.models import Contact
from references.services.preferences import blackout_add
from requests_app.statuses import RequestStatus
from tests.browser.conftest import TIMEOUT_MS, save_screenshot
from tests.browser.test_every_page import LONG_WORD, RECORD_CSP, SCREENSHOTS, SIZES, _problems
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("every-page")]

# A word of each language's navigation: a page in the wrong language is caught.
SPOKEN = {"en": "My preferences", "de": "Meine Einstellungen"}
# A magic link's routes take a token, not an id: a fresh one (its page shows Continue; opening it
# uses nothing, so every visit sees the same page).
TOKEN_ROUTES = {"link", "link-renew"}


def _world() -> tuple[Contact, dict[str, int]]:
    owner = factories.make_user("olivia", Role.SALES, first_name="Olivia", last_name="Owner")
    manager = factories.make_user("maria", Role.MANAGER, first_name="Maria", last_name="Manager")
    rep = factories.make_user("sally", Role.SALES, first_name="Sally", last_name="Seller")
    contact = factories.make_contact(
        factories.make_account(owner), first_name="Greta", activity_types=("reference_call", "site_visit")
    )
    asked = drive_to(make_request(rep, contact), RequestStatus.CUSTOMER_ASKED, contact, manager)
    done = drive_to(make_request(rep, contact), RequestStatus.COMPLETED, contact, manager)
    today = timezone.localdate()
    blackout = blackout_add(
        contact=contact,
        start=today + timedelta(days=30),
        end=today + timedelta(days=40),
        reason=LONG_WORD[:200],
    )
    # What the program gave back, with a message that must wrap on a phone.
    giveback_record(
        contact=contact, kind=GiveBackKind.PEER_EVENT, given_on=today, actor=manager, message=LONG_WORD[:300]
    )
    ids = {
        "ask": asked.pk,
        "ask-accept": asked.pk,
        "ask-decline": asked.pk,
        "feedback": done.pk,
        "preferences-blackout-remove": blackout.pk,
    }
    return contact, ids


def _paths(contact: Contact, ids: dict[str, int]) -> list[tuple[str, str]]:
    """(name, path) of every route of the customer portal."""
    portal = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "customer"
    )
    found = []
    token = None
    for pattern in portal.url_patterns:
        if pattern.name in TOKEN_ROUTES:
            token = token or portal_link_mint(
                contact=contact, next_path="/portal/", lifetime=sign_in_lifetime()
            )
            found.append((pattern.name, reverse(f"customer:{pattern.name}", kwargs={"token": token})))
        elif pattern.pattern.converters:
            assert pattern.name in ids, f"customer:{pattern.name} takes an id: name its object in _world"
            found.append(
                (pattern.name, reverse(f"customer:{pattern.name}", kwargs={"pk": ids[pattern.name]}))
            )
        else:
            found.append((pattern.name, reverse(f"customer:{pattern.name}")))
    return found


def _pages(contact: Contact, paths) -> list[tuple[str, str]]:
    """The paths that are pages: a GET answers HTML (not 405 for a POST-only route, not a download)."""
    client = Client()
    client.cookies[settings.PORTAL_COOKIE] = portal_session_start(contact=contact)[1]
    found = []
    for name, path in paths:
        response = client.get(path)
        if response.status_code != 405 and response["Content-Type"].startswith("text/html"):
            found.append((name, path))
    return found


def _visit(browser, live_server, contact: Contact, language: str, size: str, paths) -> tuple[list, int]:
    Contact.objects.filter(pk=contact.pk).update(language=language)
    _session, raw_key = portal_session_start(contact=contact)
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size], locale=language)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.PORTAL_COOKIE, "value": raw_key, "url": live_server.url}])
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: message.type == "error" and console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    failures, seen = [], 0
    for name, path in paths:
        console.clear()
        response = page.goto(path)
        where = f"{path} in {language} at {size}"
        if response.status != 200:
            failures.append(f"{where}: HTTP {response.status}")
            continue
        seen += 1
        save_screenshot(page, SCREENSHOTS / f"customer-{name}-{language}-{size}.png")
        problems = _problems(page, size) + [f"console: {text}" for text in console]
        if SPOKEN[language] not in page.content():
            problems.append(f"not in {language}")
        failures += [f"{where}: {problem}" for problem in problems]
    context.close()
    return failures, seen


def test_every_customer_page_fits_the_screen_speaks_the_language_and_passes_axe(browser, live_server):
    contact, ids = _world()
    paths = _pages(contact, _paths(contact, ids))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures, pages = [], set()
    for language in SPOKEN:
        for size in SIZES:
            found, seen = _visit(browser, live_server, contact, language, size, paths)
            failures += found
            pages.add(seen)
    assert not failures, "\n".join(failures)
    # The pages a contact reads: home, asks, an ask, verify, preferences, history, feedback, data.
    assert min(pages) >= 8, pages
