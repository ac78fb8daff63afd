"""Every email to a contact carries a fresh magic link to its portal page, and nothing of staff."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customers.links import portal_link_sign_in, token_hash
from customers.mail import renewed_link_send, sign_in_links_send
from customers.models import PortalLink
from notifications.delivery import notification_deliver
from notifications.emails import build_email
from notifications.message import Message
from notifications.models import Channel, Notification
from notifications.services import notify
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from workflows.ask_reminders import asks_remind
from workflows.notices import ASK_REMINDER

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+/portal/link/([A-Za-z0-9_-]+)/")
STAFF_PREFIXES = ("/admin/", "/manage/", "/sales/", "/tasks/", "/content/", "/api/", "/notifications/")


@pytest.fixture
def contact(account_owner):
    return factories.make_contact(factories.make_account(account_owner), first_name="Lina")


def email_to(contact, link: str, key: str = "event:1:customer_asked") -> Notification:
    message = Message("Would you help?", "Body.", link)
    notify(kind="customer_asked", key=key, contacts=[contact], message=message)
    return Notification.objects.get(contact=contact, key=key, channel=Channel.EMAIL)


def both_parts(message) -> str:
    return message.body + "\n" + message.alternatives[0][0]


def urls_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<]+", text)


def test_the_email_link_signs_in_once_and_opens_the_page(contact, settings):
    notification = email_to(contact, "/portal/asks/12/")
    text = both_parts(build_email(notification, contact.email))
    [token] = set(LINK.findall(text))
    browser = Client()
    link = reverse("customer:link", kwargs={"token": token})
    assert browser.get(link).status_code == 200  # Continue; nothing used yet
    response = browser.post(link)
    assert response.status_code == 302 and response["Location"] == "/portal/asks/12/"
    assert browser.cookies[settings.PORTAL_COOKIE].value
    assert Client().post(link).status_code == 410  # once


def test_no_staff_page_is_linked_from_a_contacts_email(contact, settings):
    notification = email_to(contact, "/manage/requests/12/")  # a composer's slip: not followed
    text = both_parts(build_email(notification, contact.email))
    for url in urls_in(text):
        assert url.startswith(settings.SITE_URL + "/portal/"), url
        assert not url.removeprefix(settings.SITE_URL).startswith(STAFF_PREFIXES), url
    assert len(set(LINK.findall(text))) == 1
    assert PortalLink.objects.get(contact=contact).next_path == "/portal/"


def test_an_email_without_a_page_still_signs_the_contact_in_to_the_portal(contact):
    text = both_parts(build_email(email_to(contact, ""), contact.email))
    assert len(set(LINK.findall(text))) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_token_is_nowhere_in_the_database(account_owner):
    """Delivered as the worker does it (outside a transaction): every table is scanned."""
    contact = factories.make_contact(factories.make_account(account_owner))
    assert notification_deliver(notification_id=email_to(contact, "/portal/asks/12/").pk).outcome == "sent"
    [message] = mail.outbox
    [token] = set(LINK.findall(both_parts(message)))
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            assert token not in repr(cursor.fetchall()), table
    assert set(Notification.objects.filter(contact=contact).values_list("link", flat=True)) == {
        "/portal/asks/12/"
    }


def test_each_email_has_a_new_link_and_the_newest_cancels_the_older(contact):
    first = LINK.findall(build_email(email_to(contact, "/portal/asks/1/", "e:1"), contact.email).body)[0]
    second = LINK.findall(build_email(email_to(contact, "/portal/asks/2/", "e:2"), contact.email).body)[0]
    assert portal_link_sign_in(token=first) is None
    assert portal_link_sign_in(token=second).next_path == "/portal/asks/2/"


def test_a_contact_reads_the_email_in_their_language(contact):
    contact.language = "de"
    contact.save(update_fields=["language"])
    message = build_email(email_to(contact, "/portal/asks/3/"), contact.email)
    assert "Hallo Lina" in message.body and "Im Kundenportal öffnen" in message.alternatives[0][0]
    assert 'lang="de"' in message.alternatives[0][0]


def test_a_contacts_subject_names_the_company_not_the_tool(contact, settings):
    message = build_email(email_to(contact, "/portal/asks/3/"), contact.email)
    assert message.subject.startswith(f"[{settings.COMPANY_NAME}] ") and "RMS" not in message.subject


def test_a_staff_email_stays_english_and_links_to_staff_pages(manager):
    notify(kind="customer_asked", key="e:9", users=[manager], message=Message("T", "B", "/manage/"))
    message = build_email(Notification.objects.get(user=manager, channel=Channel.EMAIL), manager.email)
    assert "Open in RMS" in message.alternatives[0][0] and "/manage/" in message.body
    assert message.subject == "[RMS] T"
    assert not PortalLink.objects.exists()


def test_every_email_the_workflow_writes_to_a_contact_links_only_to_its_portal_page(
    customer_contact, ref_request, sales_rep, manager, settings, mailoutbox
):
    """The real messages, not a made-up one: the ask, its reminder, the scheduled activity, the
    request for feedback, the sign-in link and its renewal. Every address in every part of every
    email is a magic link of the portal (never a staff page, never the site's root), and the link
    opens the page its row names (the ask's, the feedback's), which is there to read."""
    # The open ask first: once the other is done, the contact rests (burnout limits).
    waiting = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    done = drive_to(ref_request, "completed", customer_contact, manager)
    assert asks_remind(now=timezone.now() + timedelta(days=4)) == 1
    rows = list(Notification.objects.filter(contact=customer_contact, channel=Channel.EMAIL).order_by("pk"))
    assert {row.kind for row in rows} >= {
        "customer_asked", "request_scheduled", "feedback_requested", ASK_REMINDER.code
    }  # fmt: skip
    pages = {
        "customer_asked": {f"/portal/asks/{done.pk}/", f"/portal/asks/{waiting.pk}/"},
        ASK_REMINDER.code: {f"/portal/asks/{waiting.pk}/"},
        "request_scheduled": {f"/portal/asks/{done.pk}/"},
        "feedback_requested": {f"/portal/feedback/{done.pk}/"},
    }
    for row in rows:
        assert row.link in pages[row.kind], (row.kind, row.link)
        text = both_parts(build_email(row, customer_contact.email))
        _only_portal_links(text, settings)
        [token] = set(LINK.findall(text))
        browser = Client()
        response = browser.post(reverse("customer:link", kwargs={"token": token}))
        assert response.status_code == 302 and response["Location"] == row.link, row.kind
        # The page is there to read, also after the activity (an ask's page then opens its feedback).
        assert browser.get(row.link, follow=True).status_code == 200, row.kind

    sign_in_links_send(address=customer_contact.email, next_path="/portal/history/")
    [first] = set(LINK.findall(both_parts(mailoutbox[-1])))
    renewed_link_send(digest=token_hash(first))
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        _only_portal_links(both_parts(message), settings)


def _only_portal_links(text: str, settings) -> None:
    urls = urls_in(text)
    assert urls, text
    for url in urls:
        path = url.removeprefix(settings.SITE_URL)
        assert url.startswith(settings.SITE_URL) and path.startswith("/portal/link/"), url
        assert not path.startswith(STAFF_PREFIXES), url
