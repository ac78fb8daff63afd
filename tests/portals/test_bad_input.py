"""Tampered query strings and form posts get a page or a clear error, never a server error: the
sales and manager portals, My tasks, the notification pages and the API, through the client."""

import pytest

from tests.builders import catalogue as factories

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
