"""The public customer list is derived live from permissions: a withdrawn or expired permission
takes an account off at once; the website's CSV and JSON say the same."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketing.selectors import customer_list
from marketing.statuses import PermissionKind, PermissionState
from references.statuses import ReferenceStatus
from tests.builders import catalogue
from tests.builders.marketing import grant

TODAY = timezone.localdate()


@pytest.fixture
def logo_customer(customer_account, marketer):
    grant(customer_account, PermissionKind.LOGO, marketer)
    return customer_account


def names(client) -> list[str]:
    response = client.get(reverse("content:customers-csv"))
    assert response.status_code == 200
    return [row["name"] for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))]


def test_withdrawing_a_permission_takes_the_account_off_at_once(client, marketer, logo_customer):
    client.force_login(marketer)
    assert names(client) == ["Globex Bank"]
    response = client.post(
        reverse("content:account-permissions", args=[logo_customer.pk]),
        {"kind": "logo", "state": "denied", "source_note": "Their new CMO said no on the QBR call."},
    )
    assert response.status_code == 302
    assert names(client) == []
    assert "Globex Bank" not in client.get(reverse("content:customers")).content.decode()


def test_an_expired_permission_is_not_listed(customer_account, marketer):
    grant(customer_account, PermissionKind.LOGO, marketer, expires_on=TODAY - timedelta(days=1))
    assert list(customer_list(TODAY)) == []
    grant(customer_account, PermissionKind.LOGO, marketer, expires_on=TODAY)  # its last day
    assert [a.name for a in customer_list(TODAY)] == ["Globex Bank"]
    assert list(customer_list(TODAY + timedelta(days=1))) == []


def test_a_name_drop_alone_lists_the_name_without_the_logo(customer_account, marketer):
    grant(customer_account, PermissionKind.NAME_DROP, marketer)
    [row] = customer_list(TODAY)
    assert (row.name, row.logo, row.name_drop) == ("Globex Bank", False, True)


def test_unknown_denied_and_other_kinds_do_not_list(customer_account, marketer, account_owner):
    grant(customer_account, PermissionKind.LOGO, marketer, state=PermissionState.UNKNOWN)
    grant(customer_account, PermissionKind.QUOTE, marketer)
    other = catalogue.make_account(account_owner, name="Hooli")
    grant(other, PermissionKind.LOGO, marketer, state=PermissionState.DENIED)
    assert list(customer_list(TODAY)) == []


def test_a_defected_customer_is_never_listed(logo_customer):
    type(logo_customer).objects.filter(pk=logo_customer.pk).update(status=ReferenceStatus.DEFECTED)
    assert list(customer_list(TODAY)) == []


def test_the_json_export_for_the_website(client, manager, logo_customer):
    client.force_login(manager)
    data = client.get(reverse("content:customers-json")).json()
    assert data["as_of"] == TODAY.isoformat()
    assert data["customers"] == [
        {
            "name": "Globex Bank",
            "show_logo": True,
            "show_name": False,
            "industry": "Finance and Insurance",
            "country": "United States",
        }
    ]


def test_a_name_that_looks_like_a_formula_is_quoted_in_the_csv(client, marketer, account_owner):
    evil = catalogue.make_account(account_owner, name="=HYPERLINK(1)")
    grant(evil, PermissionKind.LOGO, marketer)
    client.force_login(marketer)
    assert names(client) == ["'=HYPERLINK(1)"]


def test_sales_reps_never_reach_the_list(client, sales_rep, logo_customer):
    client.force_login(sales_rep)
    for name in ("content:customers", "content:customers-csv", "content:customers-json"):
        assert client.get(reverse(name)).status_code == 403


def test_every_text_cell_of_the_csv_is_quoted_when_it_looks_like_a_formula(client, marketer, logo_customer):
    # The industry and country come from the taxonomy, which an administrator may rename.
    logo_customer.industry.name = "@SUM(1+1)"
    logo_customer.industry.save()
    logo_customer.country.name = "+cmd|' /C calc'!A0"
    logo_customer.country.save()
    client.force_login(marketer)

    response = client.get(reverse("content:customers-csv"))

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert (rows[0]["industry"], rows[0]["country"]) == ("'@SUM(1+1)", "'+cmd|' /C calc'!A0")
