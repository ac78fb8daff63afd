"""The content library through the API: the pages' visibility (keepers every asset, reps the
published ones they may use), the library search's facets as filters, never the file's storage
path, the keepers' download only for them, and recording a use through `asset_use_record`."""

import pytest
from django.urls import reverse

from marketing.models import AssetUse
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from tests.builders import catalogue
from tests.builders.library import make_asset, make_use
from tests.builders.marketing import grant_needed
from tests.builders.search import product

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the story of a bank\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def library(marketer):
    return {
        "public": make_asset(marketer, title="Globex cuts fraud", file_bytes=PDF),
        "internal": make_asset(marketer, title="Internal pricing win", rights=UsageRights.INTERNAL),
        "nda": make_asset(marketer, title="Secret merger story", rights=UsageRights.NDA),
        "draft": make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT),
        "quote": make_asset(
            marketer, title="A quote", kind=AssetKind.QUOTE, products=[product("Secure Edge")]
        ),
    }


def _titles(client, **params):
    response = client.get(reverse("api-assets"), params)
    assert response.status_code == 200, response.json()
    return {a["title"] for a in response.json()["results"]}


def _use(client, used, **body):
    return client.post(reverse("api-asset-uses", args=[used.pk]), body, content_type="application/json")


def test_a_rep_sees_published_assets_not_under_nda(rep_client, library):
    assert _titles(rep_client) == {"Globex cuts fraud", "Internal pricing win", "A quote"}
    for hidden in ("nda", "draft"):
        response = rep_client.get(reverse("api-asset", args=[library[hidden].pk]))
        assert response.status_code == 404
        assert library[hidden].title not in response.content.decode()


def test_keepers_see_every_asset_with_the_download_but_never_the_storage_path(client, marketer, library):
    client.force_login(marketer)

    assert _titles(client) == {a.title for a in library.values()}
    body = client.get(reverse("api-asset", args=[library["public"].pk])).json()
    assert body["has_file"] is True
    assert body["download_url"].endswith(reverse("content:asset-file", args=[library["public"].pk]))
    assert library["public"].file.name not in str(body)


def test_a_rep_gets_no_download_address_nor_storage_path(rep_client, library):
    response = rep_client.get(reverse("api-asset", args=[library["public"].pk]))

    assert response.json()["download_url"] is None
    assert library["public"].file.name not in response.content.decode()


def test_the_library_filters_by_its_facets_and_words(client, rep_client, marketer, library):
    assert _titles(rep_client, kind="quote") == {"A quote"}
    assert _titles(rep_client, product=product("Secure Edge").pk) == {"A quote"}
    assert _titles(rep_client, rights="internal") == {"Internal pricing win"}
    assert _titles(rep_client, q="fraud") == {"Globex cuts fraud"}
    # The status facet is the keepers' only: a rep's is ignored (they see published assets).
    assert _titles(rep_client, status="draft") == _titles(rep_client)
    client.force_login(marketer)
    assert _titles(client, status="draft") == {"Draft story"}


@pytest.mark.parametrize("params", [{"kind": "poem"}, {"product": "²"}, {"q": "x" * 201}])
def test_the_library_refuses_a_bad_filter_naming_it(rep_client, params):
    response = rep_client.get(reverse("api-assets"), params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_a_rep_records_a_use_on_their_deal(rep_client, sales_rep, deal, library):
    response = _use(
        rep_client, library["internal"], opportunity=deal.pk, how="other", note="Sent to the CFO."
    )

    assert response.status_code == 201, response.json()
    use = AssetUse.objects.get(pk=response.json()["id"])
    assert (use.asset, use.used_by, use.opportunity, use.note) == (
        library["internal"],
        sales_rep,
        deal,
        "Sent to the CFO.",
    )
    assert response.json()["share_url"] is None


def test_a_use_by_link_answers_with_the_public_link(rep_client, marketer, deal, customer_account):
    grant_needed(customer_account, AssetKind.CASE_STUDY, marketer)
    asset = make_asset(marketer, title="Shareable story", accounts=[customer_account])

    response = _use(rep_client, asset, opportunity=deal.pk, how="link")

    assert response.status_code == 201, response.json()
    link = response.json()["share_url"]
    assert link.startswith("http://testserver/")
    assert rep_client.get(link).status_code == 200


def test_a_rep_cannot_record_a_use_on_another_reps_deal(rep_client, other_rep, library):
    theirs = catalogue.make_opportunity(other_rep, prospect_name="Zephyr Freight")

    response = _use(rep_client, library["public"], opportunity=theirs.pk, how="other")

    assert response.status_code == 400
    assert "opportunity" in response.json()["error"]["fields"]
    assert not AssetUse.objects.exists()


def test_a_use_of_an_asset_the_rep_may_not_see_is_404(rep_client, deal, library):
    assert _use(rep_client, library["nda"], opportunity=deal.pk, how="other").status_code == 404
    assert not AssetUse.objects.exists()


def test_a_use_names_a_deal_or_a_campaign_and_nothing_protected(
    rep_client, sales_rep, other_rep, deal, library
):
    neither = _use(rep_client, library["public"], how="other")
    protected = _use(
        rep_client,
        library["public"],
        campaign="Spring",
        how="other",
        used_by=other_rep.pk,
        asset=library["quote"].pk,
    )

    assert neither.status_code == 400 and "opportunity" in neither.json()["error"]["fields"]
    assert protected.status_code == 201
    use = AssetUse.objects.get()
    assert (use.used_by, use.asset) == (sales_rep, library["public"])


def test_marketing_records_a_campaign_use(client, marketer, library):
    client.force_login(marketer)
    response = _use(client, library["public"], campaign="Spring launch", how="download")
    assert response.status_code == 201
    assert AssetUse.objects.get().campaign == "Spring launch"


@pytest.mark.parametrize("size", [3, 30])
def test_the_library_costs_the_same_for_any_size(
    client, sales_rep, marketer, deal, size, django_assert_max_num_queries
):
    for n in range(size):
        asset = make_asset(marketer, title=f"Story {n}", products=[product("Analytics Cloud")])
        make_use(asset, sales_rep, opportunity=deal)
    client.force_login(sales_rep)
    # Session, user, groups (role check), a page of assets with use counts, then their accounts,
    # contacts, products, industries and use cases.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("api-assets"), {"kind": "case_study"})
    assert len(response.json()["results"]) == size
