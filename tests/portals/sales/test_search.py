"""The search screens: start from the deal, filter, read the ranking; scoped to the rep."""

from urllib.parse import parse_qs, urlparse

import pytest

from core.roles import Role
from tests.builders import catalogue as factories
from tests.builders.search import contact_secrets, index, make_reference, product, region


def test_find_references_opens_the_search_prefilled_from_the_deal(rep_client, deal):
    response = rep_client.get(f"/sales/opportunities/{deal.pk}/find/")

    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert url.path == "/sales/search/"
    assert parse_qs(url.query) == {
        "opportunity": [str(deal.pk)],
        "industry": [str(deal.industry_id)],
        "product": [str(product("Analytics Cloud").pk)],
        "region": [str(region("NA").pk)],
    }


def test_search_for_a_deal_ranks_and_explains(rep_client, deal, references):
    response = rep_client.get(f"/sales/search/?opportunity={deal.pk}")

    assert response.status_code == 200
    page = response.content.decode()
    order = [page.index(name) for name in ("Acme Savings", "Brightline Insurance", "Cobalt Manufacturing")]
    assert order == sorted(order)
    assert "Echo Opted Out" not in page
    assert "Industry ✓" in page and "Product ✗" in page and "4 slots left" in page
    assert "4 references" in page
    assert "Prospect Bank" in page


def test_filtering_by_industry_narrows_results_and_updates_counts(rep_client, references):
    finance = factories.industry("52").pk

    response = rep_client.get(f"/sales/search/?industry={finance}")

    page = response.content.decode()
    assert "2 references" in page
    assert "Acme Savings" in page and "Brightline Insurance" in page
    assert "Cobalt Manufacturing" not in page
    assert f'id="f-industry-{finance}" checked' in page


def test_htmx_gets_the_results_fragment_only(rep_client, references):
    response = rep_client.get("/sales/search/?q=fraud", headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="result-count"' in page
    assert "Acme Savings" in page and "Delta Foods" not in page
    assert "HX-Request" in response["Vary"]


def test_zero_results_suggest_what_to_drop(rep_client, references):
    finance, germany = factories.industry("52").pk, factories.country("DE").pk

    page = rep_client.get(f"/sales/search/?industry={finance}&country={germany}").content.decode()

    assert "No reference matches all of that" in page
    assert "1 match if you drop Industry" in page
    assert "2 matches if you drop Country" in page


def test_reference_page_shows_the_story_but_no_contact_details(rep_client, deal, references):
    contact = references["full"]

    response = rep_client.get(f"/sales/references/{contact.pk}/?opportunity={deal.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Fraud detection story." in page and "Request this reference" in page
    for secret in contact_secrets(contact):
        assert secret not in page


def test_an_opted_out_reference_page_is_404(rep_client, references):
    assert rep_client.get(f"/sales/references/{references['opted_out'].pk}/").status_code == 404


def test_email_and_phone_never_appear_in_search_pages(rep_client, deal, references):
    secrets = contact_secrets(*references.values())
    pages = [
        rep_client.get(f"/sales/search/?opportunity={deal.pk}"),
        rep_client.get("/sales/search/", headers={"HX-Request": "true"}),
        rep_client.get(
            f"/sales/requests/new/?contact={references['full'].pk}&contact={references['none'].pk}"
        ),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body
    # Email addresses are not searchable either.
    by_email = rep_client.get("/sales/search/", {"q": references["full"].email})
    assert by_email.context["page"].total == 0


def test_another_reps_deal_is_404_everywhere(rep_client, other_rep, references):
    theirs = factories.make_opportunity(other_rep)

    assert rep_client.get(f"/sales/search/?opportunity={theirs.pk}").status_code == 404
    assert rep_client.get(f"/sales/opportunities/{theirs.pk}/find/").status_code == 404
    assert rep_client.get(f"/sales/opportunities/{theirs.pk}/").status_code == 404
    assert (
        rep_client.get(f"/sales/references/{references['full'].pk}/?opportunity={theirs.pk}").status_code
        == 404
    )
    assert rep_client.get(f"/sales/requests/new/?opportunity={theirs.pk}").status_code == 404


def test_a_deal_the_rep_is_on_the_team_of_is_theirs_too(rep_client, other_rep, references):
    shared = factories.make_opportunity(other_rep)
    shared.team.add(rep_client.session["_auth_user_id"])

    assert rep_client.get(f"/sales/search/?opportunity={shared.pk}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "industry=abc",
        "industry=-4",
        "product=99999999999999",
        "language=english!",
        "after=garbage",
        "after=0.1.1&after=x",
        "role=xyz",
        "opportunity=abc",
        "q=" + "x" * 500,
        "q=%00%27%22",
    ],
)
def test_malformed_search_parameters_never_fail(rep_client, references, query):
    response = rep_client.get(f"/sales/search/?{query}")

    assert response.status_code == 200


def test_a_malformed_filter_is_reported_and_left_out(rep_client, references):
    page = rep_client.get("/sales/search/?industry=abc").content.decode()

    assert "Some filters were not understood" in page
    assert "4 references" in page


def test_search_needs_the_sales_role(client, marketer, references):
    assert client.get("/sales/search/").status_code == 302  # anonymous: to the sign-in page
    client.force_login(marketer)
    assert client.get("/sales/search/").status_code == 403


def test_next_page_continues_after_the_last_result(rep_client, account_owner):
    for n in range(23):
        make_reference(account_owner, name=f"Customer {n:02d}", nps=n % 11)
    index()

    first = rep_client.get("/sales/search/")
    page = first.content.decode()
    assert "Next matches" in page
    next_url = first.context["next_query"]
    second = rep_client.get(f"/sales/search/?{next_url}").content.decode()
    assert second.count('class="ref-card') == 3
    assert "Best matches" in second


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("htmx", [False, True])
def test_search_page_and_fragment_queries_do_not_grow(
    client, sales_rep, account_owner, deal, size, htmx, django_assert_max_num_queries
):
    for n in range(size):
        make_reference(account_owner, industry="52" if n % 2 else "31", products=("Analytics Cloud",))
    index()
    client.force_login(sales_rep)
    headers = {"HX-Request": "true"} if htmx else {}
    url = f"/sales/search/?opportunity={deal.pk}&industry={deal.industry_id}"

    # Session, user, user's groups; the deal and its products; the search itself: labels and
    # weights, the page, facet counts, live rows of the page; the cards' live availability
    # (limits.selectors.availability_for, one statement). The full page adds the navigation's
    # task counts and unread notifications.
    with django_assert_max_num_queries(10 if htmx else 12):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.content.decode().count('class="ref-card') == min(20, size // 2)


def test_manager_without_sales_role_cannot_use_the_sales_portal(client, manager):
    client.force_login(manager)
    assert client.get("/sales/search/").status_code == 403


def test_superuser_may_look(client, admin_user, references):
    client.force_login(admin_user)
    assert client.get("/sales/search/").status_code == 200


def test_role_constant_is_the_sales_group():
    assert Role.SALES.value == "Sales"
