"""Marketing's library page: every asset in every status, filtered like the reference search,
with how often reps used each one."""

import pytest
from django.urls import reverse

from marketing.statuses import AssetStatus, UsageRights
from tests.builders import catalogue as factories
from tests.builders.library import make_asset, make_use
from tests.builders.search import product


def test_marketing_sees_every_asset_with_its_status_and_use_count(client, marketer, sales_rep, deal):
    published = make_asset(marketer, title="Globex cuts fraud")
    make_asset(marketer, title="Secret merger story", rights=UsageRights.NDA)
    make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT)
    make_use(published, sales_rep, opportunity=deal)
    make_use(published, sales_rep, campaign="Spring launch")
    client.force_login(marketer)

    page = client.get(reverse("content:assets")).content.decode()

    assert "3 assets" in page
    assert "Secret merger story" in page and "Draft story" in page and "Under NDA" in page
    assert 'id="facet-status"' in page
    row = page[page.index(f'<tr id="asset-{published.pk}">') :]
    assert '<td class="use-count">2</td>' in row[: row.index("</tr>")]


def test_marketing_filters_by_status(client, marketer):
    make_asset(marketer, title="Globex cuts fraud")
    make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT)
    client.force_login(marketer)

    page = client.get(reverse("content:assets"), {"status": AssetStatus.DRAFT}).content.decode()

    assert "Draft story" in page and "Globex cuts fraud" not in page


def test_a_sales_rep_cannot_open_the_marketing_library(rep_client):
    assert rep_client.get(reverse("content:assets")).status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_the_library_queries_do_not_grow(
    client, marketer, sales_rep, deal, size, django_assert_max_num_queries
):
    cloud = product("Analytics Cloud")
    for n in range(size):
        asset = make_asset(
            marketer,
            title=f"Story {n}",
            status=AssetStatus.PUBLISHED if n % 2 else AssetStatus.DRAFT,
            products=[cloud],
            accounts=[factories.make_account(marketer)],
        )
        make_use(asset, sales_rep, opportunity=deal)
    client.force_login(marketer)

    # Session, user, groups; the facet counts (one UNION ALL); the page's count and rows; their
    # customers and products; the navigation's task counts and unread notifications.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("content:assets"), {"product": cloud.pk, "q": "story"})
    assert response.status_code == 200
    assert response.content.decode().count('class="use-count"') == min(size, 25)
