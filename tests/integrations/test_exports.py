"""Exports of the lists as CSV and XLSX: the page's rows, the user's scope, formula-safe cells,
and a number of queries that does not grow with the rows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from requests_app.services import nomination_submit
from tests.builders import catalogue as factories
from tests.builders.requests import make_request

pytestmark = pytest.mark.django_db


def as_rows(response) -> list[list]:
    """The download's rows, header first, read back with the csv module or openpyxl."""
    body = b"".join(response.streaming_content)
    if response["Content-Disposition"].rstrip('"').endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def export(client, name: str, fmt: str, **query) -> list[list]:
    response = client.get(reverse(name), {**query, "format": fmt})
    assert response.status_code == 200
    return as_rows(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_reps_search_export_has_the_cards_and_no_contact_details(rep_client, references, fmt):
    rows = export(rep_client, "sales:search-export", fmt, q="Acme")
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Contact", "Title", "Account"]
    assert [row[2] for row in body] == ["Acme Savings"]
    everything = repr(rows)
    for ref in references.values():
        contact = ref if hasattr(ref, "email") else ref.contacts.first()
        assert contact.email not in everything and (not contact.phone or contact.phone not in everything)


def test_the_search_export_follows_the_filters_of_the_page(rep_client, references):
    names = {row[2] for row in export(rep_client, "sales:search-export", "csv")[1:]}
    assert names == {"Acme Savings", "Brightline Insurance", "Cobalt Manufacturing", "Delta Foods"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_reps_request_export_has_only_their_requests(client, sales_rep, other_rep, customer_contact, fmt):
    mine = make_request(sales_rep, customer_contact)
    make_request(other_rep, factories.make_contact(customer_contact.account))
    client.force_login(sales_rep)
    rows = export(client, "sales:requests-export", fmt)
    assert [str(row[0]) for row in rows[1:]] == [str(mine.pk)]
    assert customer_contact.email not in repr(rows)


def test_the_managers_inbox_export_follows_its_filters(
    client, manager, sales_rep, other_rep, customer_contact
):
    sallys = make_request(sales_rep, customer_contact)
    oscars = make_request(other_rep, factories.make_contact(customer_contact.account))
    client.force_login(manager)
    everything = export(client, "manage:requests-export", "xlsx", status="all")
    assert {row[0] for row in everything[1:]} == {sallys.pk, oscars.pk}
    hers = export(client, "manage:requests-export", "csv", status="all", requester=sales_rep.pk)
    assert [row[0] for row in hers[1:]] == [str(sallys.pk)]


def test_the_activity_log_is_the_programs(client, manager, sales_rep, customer_contact):
    from datetime import date

    factories.make_activity(customer_contact, date(2026, 3, 1))
    client.force_login(manager)
    rows = export(client, "manage:activities-export", "xlsx")
    assert len(rows) == 2 and rows[1][2] == customer_contact.full_name
    client.force_login(sales_rep)
    assert client.get(reverse("manage:activities-export")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_in_exported_cells_are_neutralised(client, manager, sales_rep, account_owner, fmt):
    account = factories.make_account(account_owner, name='=HYPERLINK("http://evil","x")')
    nomination_submit(nominator=sales_rep, account=account, contact_name="+cmd|' /C calc'!A0", reason="Yes.")
    client.force_login(manager)
    response = client.get(reverse("manage:nominations-export"), {"format": fmt, "status": ""})
    body = b"".join(response.streaming_content)
    row = as_rows(_again(response, body))[1]
    assert '\'=HYPERLINK("http://evil","x")' in row and "'+cmd|' /C calc'!A0" in row
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def _again(response, body):
    response.streaming_content = [body]
    return response


def test_export_queries_do_not_grow_with_the_rows(client, manager, program, django_assert_max_num_queries):
    """Few or many requests: the same queries (session, user, roles, the rows in chunks with their
    candidates prefetched)."""
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        export(client, "manage:requests-export", "csv", status="all")
    with django_assert_max_num_queries(12):
        export(client, "manage:activities-export", "xlsx")


def test_the_reps_exports_run_the_same_queries_for_few_and_many_rows(
    rep_client, program, django_assert_max_num_queries
):
    """My requests in chunks with their candidates; the search from the in-memory index, its
    availability counted per page (one page here)."""
    with django_assert_max_num_queries(12):
        rows = export(rep_client, "sales:requests-export", "csv")
    assert len(rows) > 1
    with django_assert_max_num_queries(15):
        export(rep_client, "sales:search-export", "xlsx")


def test_the_nominations_export_follows_the_queue_filters(client, manager, sales_rep, account_owner):
    account = factories.make_account(account_owner, name="Nominated Co")
    nomination_submit(nominator=sales_rep, account=account, contact_name="Nina New", reason="Loves us.")
    client.force_login(manager)
    rows = export(client, "manage:nominations-export", "csv")
    assert [row[1] for row in rows[1:]] == ["Nina New"]
    other_industry = "31" if account.industry.naics_code != "31" else "52"
    from references.models import Industry

    industry = Industry.objects.get(naics_code=other_industry)
    assert export(client, "manage:nominations-export", "csv", industry=industry.pk)[1:] == []


def test_no_export_holds_a_contacts_email(client, manager, sales_rep, customer_contact):
    make_request(sales_rep, customer_contact)
    from datetime import date

    factories.make_activity(customer_contact, date(2026, 3, 1))
    client.force_login(manager)
    for name in ("manage:requests-export", "manage:activities-export", "manage:nominations-export"):
        rows = export(client, name, "csv", status="all")
        assert customer_contact.email not in repr(rows) and customer_contact.phone not in repr(rows)


def test_a_formula_behind_a_dropped_character_is_neutralised_too(client, manager, sales_rep, account_owner):
    """XLSX drops control characters: "\x01=HYPERLINK(...)" must not turn into a live formula."""
    account = factories.make_account(account_owner, name='\x01=HYPERLINK("http://evil","x")')
    nomination_submit(nominator=sales_rep, account=account, contact_name="\x02+cmd", reason="Yes.")
    client.force_login(manager)
    response = client.get(reverse("manage:nominations-export"), {"format": "xlsx", "status": ""})
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert '\'=HYPERLINK("http://evil","x")' in [cell.value for cell in sheet[2]]
