"""Account permissions pages: recording an answer keeps its history and takes effect at once;
and the content portal's lists cost the same few queries with few or many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketing.models import AccountPermission, PermissionChange
from marketing.selectors import customer_list
from marketing.statuses import AssetKind, AssetStatus, PermissionKind, PermissionState
from tests.builders import catalogue
from tests.builders.marketing import grant, make_asset


def test_recording_a_permission_keeps_its_history_and_takes_effect_at_once(
    client, marketer, customer_account
):
    client.force_login(marketer)
    url = reverse("content:account-permissions", args=[customer_account.pk])
    response = client.post(url, {"kind": "logo", "state": "granted", "expires_on": "", "source_note": ""})
    assert response.status_code == 400
    assert "Say where the answer came from" in response.context["form"].errors["source_note"][0]
    response = client.post(url, {"kind": "logo", "state": "granted", "source_note": "Signed release, 2 May."})
    assert response.status_code == 302
    assert [a.name for a in customer_list(customer_account.created_at.date())] == ["Globex Bank"]
    client.post(url, {"kind": "logo", "state": "denied", "source_note": "Withdrawn by their CMO."})
    history = list(PermissionChange.objects.filter(account=customer_account).order_by("id"))
    assert [(h.from_state, h.to_state, h.actor) for h in history] == [
        ("unknown", "granted", marketer),
        ("granted", "denied", marketer),
    ]
    page = client.get(url).content.decode()
    assert "Withdrawn by their CMO." in page and "Granted → Denied" in page


def test_unknown_needs_no_source(client, marketer, customer_account):
    client.force_login(marketer)
    url = reverse("content:account-permissions", args=[customer_account.pk])
    assert client.post(url, {"kind": "press", "state": "unknown"}).status_code == 302
    assert AccountPermission.objects.get(account=customer_account).state == PermissionState.UNKNOWN


def test_a_tampered_choice_is_a_form_error(client, marketer, customer_account):
    client.force_login(marketer)
    url = reverse("content:account-permissions", args=[customer_account.pk])
    response = client.post(url, {"kind": "tattoo", "state": "granted²", "expires_on": "²"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"kind", "state", "expires_on"}


def test_an_unknown_account_is_a_404(client, marketer):
    client.force_login(marketer)
    assert client.get(reverse("content:account-permissions", args=[999999])).status_code == 404


@pytest.fixture(params=[3, 25], ids=["few", "many"])
def library(request, marketer, account_owner):
    """`n` accounts with every kind of permission, each on the customer list, and `n` assets."""
    n = request.param
    for i in range(n):
        account = catalogue.make_account(account_owner, name=f"Customer {i:02}")
        for kind in PermissionKind.values:
            grant(account, kind, marketer)
        make_asset(marketer, accounts=[account], title=f"Asset {i}", status=AssetStatus.CUSTOMER_APPROVAL)
    return n


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen.captured_queries)


@pytest.mark.parametrize(
    ("name", "own"),
    [
        # the accounts' page (count, rows) and their permissions (one prefetch)
        ("content:permissions", 3),
        # the customer list's page (count, rows with both flags as EXISTS)
        ("content:customers", 2),
        # assets per status, those nearing their end, the customer list's size, the latest six,
        # the campaign requests' counts, the planned events' counts
        ("content:home", 6),
    ],
)
def test_the_lists_cost_the_same_with_few_or_many_rows(
    client, marketer, base_queries, library, django_assert_max_num_queries, name, own
):
    client.force_login(marketer)
    with django_assert_max_num_queries(base_queries + own):
        assert client.get(reverse(name)).status_code == 200


def test_an_assets_page_costs_the_same_however_much_it_names(
    client, marketer, account_owner, django_assert_max_num_queries, base_queries
):
    client.force_login(marketer)
    small = make_asset(marketer, accounts=[catalogue.make_account(account_owner, name="One")])
    many = [catalogue.make_account(account_owner, name=f"Many {i}") for i in range(6)]
    big = make_asset(marketer, accounts=many, kind=AssetKind.QUOTE, status=AssetStatus.PUBLISHED)
    # the asset with its owner, then one query each for its accounts, their permissions, its
    # contacts, products, industries, use cases and events (with their actors)
    with django_assert_max_num_queries(base_queries + 9):
        client.get(reverse("content:asset", args=[small.pk]))
    assert _queries(client, reverse("content:asset", args=[small.pk])) == _queries(
        client, reverse("content:asset", args=[big.pk])
    )
