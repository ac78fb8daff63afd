"""Tampered query strings and form posts get a page or a clear error, never a server error: the
sales and manager portals, My tasks, the notification pages and the API, through the client."""

import pytest

from tests.builders import catalogue as factories
from tests.builders.requests import drive_to

GARBAGE = ["abc", "-1", "99999999999999999999", "1;DROP TABLE x", "%00", "' OR 1=1 --", "2026-13-45"]

SALES_GETS = [
    "/sales/search/?industry={v}&product={v}&region={v}&country={v}&persona={v}&q={v}",
    "/sales/search/?after={v}&activity_type={v}&size_band={v}&language={v}",
    "/sales/requests/?sort={v}&status={v}&page={v}",
    "/sales/opportunities/?page={v}&sort={v}",
    "/sales/nominations/?page={v}",
    "/sales/requests/new/?contacts={v}&opportunity={v}",
    "/sales/requests/new/?contact={v}&opportunity={v}",
    "/api/references/?industry={v}&q={v}&cursor={v}",
    "/api/requests/?status={v}&cursor={v}",
]
MANAGER_GETS = [
    "/manage/?status={v}&activity_type={v}&region={v}&requester={v}&assigned={v}&sort={v}&page={v}",
    "/manage/accounts/?industry={v}&region={v}&status={v}&q={v}&page={v}",
    "/manage/contacts/?industry={v}&region={v}&status={v}&q={v}&page={v}",
    "/manage/events/?page={v}",
    "/tasks/?page={v}&queue={v}",
    "/notifications/?page={v}",
    "/api/tasks/?cursor={v}",
]


@pytest.mark.parametrize("value", GARBAGE)
def test_sales_pages_survive_tampered_query_strings(client, sales_rep, value):
    client.force_login(sales_rep)
    for template in SALES_GETS:
        url = template.format(v=value)
        assert client.get(url).status_code < 500, url


@pytest.mark.parametrize("value", GARBAGE)
def test_manager_pages_survive_tampered_query_strings(client, manager, value):
    client.force_login(manager)
    for template in MANAGER_GETS:
        url = template.format(v=value)
        assert client.get(url).status_code < 500, url


@pytest.mark.parametrize("value", GARBAGE)
def test_posts_with_tampered_fields_are_refused_without_server_error(client, sales_rep, manager, value):
    deal = factories.make_opportunity(sales_rep)
    client.force_login(sales_rep)
    for url, data in [
        (
            "/sales/requests/new/",
            {"opportunity": value, "contacts": value, "activity_type": value, "needed_by": value},
        ),
        (
            "/sales/requests/new/",
            {"opportunity": deal.pk, "contacts": value, "activity_type": "1", "needed_by": "2030-01-01"},
        ),
        (
            "/sales/opportunities/new/",
            {"prospect_name": "X", "industry": value, "country": value, "amount": value, "close_date": value},
        ),
        ("/sales/nominations/new/", {"account": value, "reason": "r"}),
        ("/api/requests/", {"opportunity": value, "contacts": [value], "needed_by": value}),
    ]:
        response = client.post(url, data)
        assert response.status_code < 500, (url, response.status_code)
    client.force_login(manager)
    for url, data in [
        ("/manage/bulk/", {"action": value, "requests": [value], "manager": value}),
        ("/tasks/999999/complete/", {}),
        ("/tasks/999999/reassign/", {"assignee": value}),
        ("/notifications/preferences/", {"kind": value}),
    ]:
        response = client.post(url, data)
        assert response.status_code < 500, (url, response.status_code)


# --- Finding 6 of issue 12: values that used to be a 500 ----------------------------------------
# "²".isdigit() is True and int("²") raises: ids were parsed with both.


def test_a_unicode_digit_in_the_request_form_link_is_left_out(client, sales_rep, references):
    client.force_login(sales_rep)
    picked = references["full"].pk
    response = client.get("/sales/requests/new/", {"contact": picked, "opportunity": "²", "activity": "²"})
    assert response.status_code == 200
    assert [card.contact_id for card in response.context["references"]] == [picked]
    # A tampered list of references is dropped whole: the form opens with none picked.
    response = client.get("/sales/requests/new/", {"contact": ["²", picked]})
    assert response.status_code == 200
    assert response.context["references"] == []


def test_a_unicode_digit_as_the_deal_filter_of_my_requests_is_ignored(client, sales_rep, ref_request):
    client.force_login(sales_rep)
    response = client.get("/sales/requests/", {"opportunity": "²"})
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [ref_request.pk]


@pytest.mark.parametrize("url", ["/sales/opportunities/", "/sales/nominations/new/"])
def test_nul_in_a_search_box_is_an_error_on_the_box(client, sales_rep, deal, customer_account, url):
    # On PostgreSQL the NUL in the deals search reached the database (DataError, a 500).
    client.force_login(sales_rep)
    response = client.get(url, {"q": "Glo\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_the_deals_list_shows_every_deal_when_its_search_is_refused(client, sales_rep, deal):
    client.force_login(sales_rep)
    response = client.get("/sales/opportunities/", {"q": "Prospect\x00"})
    assert [d.pk for d in response.context["page"]] == [deal.pk]


def test_scheduling_in_the_year_9999_is_an_error_on_the_time(client, manager, ref_request, customer_contact):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    client.force_login(manager)
    response = client.post(
        f"/manage/requests/{ref_request.pk}/act/", {"action": "schedule", "scheduled_for": "9999-12-31T23:59"}
    )
    assert response.status_code == 400
    assert "Give a date between 1900 and 2199." in response.content.decode()


def test_bulk_ids_that_are_not_ids_are_refused_with_a_message(client, manager, ref_request):
    client.force_login(manager)
    for ids in (["²"], ["99999999999999999999"], ["1\x00"]):
        response = client.post("/manage/bulk/", {"ids": ids, "action": "decline", "note": "x"}, follow=True)
        assert response.status_code == 200
        assert "Unknown value." in response.content.decode()


def test_the_bulk_form_returns_to_the_inbox_query_re_encoded(client, manager, ref_request):
    client.force_login(manager)
    response = client.post(
        "/manage/bulk/",
        {"ids": [ref_request.pk], "action": "decline", "note": "x", "next": "?sort=amount\r\nX: y"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/manage/?sort=amount%0D%0AX%3A+y"
