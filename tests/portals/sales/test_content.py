"""A rep's content pages: the library they may use, an asset's page, using it on a deal (download,
shareable link, another use), and the public link a prospect opens."""

from decimal import Decimal

import pytest
from django.urls import reverse

from marketing.models import Asset, AssetUse
from marketing.sharing import share_token
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from tests.builders import catalogue as factories
from tests.builders.library import make_asset, make_use
from tests.builders.search import product

PDF = b"%PDF-1.4 the story of a bank\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _use(client, asset, **data):
    return client.post(reverse("sales:asset-use", args=[asset.pk]), data)


def test_the_rep_library_lists_what_they_may_use_with_use_counts(rep_client, marketer, sales_rep, deal):
    public = make_asset(marketer, title="Globex cuts fraud")
    make_asset(marketer, title="Internal pricing win", rights=UsageRights.INTERNAL)
    make_asset(marketer, title="Secret merger story", rights=UsageRights.NDA)
    make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT)
    make_use(public, sales_rep, opportunity=deal)

    response = rep_client.get(reverse("sales:content"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Globex cuts fraud" in page and "Internal pricing win" in page
    assert "Secret merger story" not in page and "Draft story" not in page
    assert "2 assets" in page
    assert f'<tr id="asset-{public.pk}">' in page
    assert '<td class="use-count">1</td>' in page


def test_filters_are_parsed_and_a_bad_value_is_left_out(rep_client, marketer):
    make_asset(marketer, title="A case study")
    make_asset(marketer, title="A quote", kind=AssetKind.QUOTE)

    only_quotes = rep_client.get(reverse("sales:content"), {"kind": "quote"}).content.decode()
    nonsense = rep_client.get(reverse("sales:content"), {"kind": "poem", "product": "²"})

    assert "A quote" in only_quotes and "A case study" not in only_quotes
    assert nonsense.status_code == 200
    assert "2 assets" in nonsense.content.decode() and "not understood" in nonsense.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_rep_library_queries_do_not_grow(
    client, sales_rep, marketer, deal, size, django_assert_max_num_queries
):
    cloud = product("Analytics Cloud")
    account = factories.make_account(marketer)
    for n in range(size):
        asset = make_asset(marketer, title=f"Story {n}", products=[cloud], accounts=[account])
        make_use(asset, sales_rep, opportunity=deal)
    client.force_login(sales_rep)

    # Session, user, groups; the facet counts (one UNION ALL); the page's count and rows; their
    # customers and products; the navigation's task counts and unread notifications.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("sales:content"), {"product": cloud.pk})
    assert response.status_code == 200
    assert response.content.decode().count('class="use-count"') == min(size, 25)


def test_the_asset_page_shows_the_story_and_what_its_uses_add_up_to(rep_client, marketer, sales_rep, deal):
    globex = factories.make_account(marketer, name="Globex Bank")
    asset = make_asset(
        marketer,
        title="Globex cuts fraud",
        summary="A bank cut fraud losses by 40%.",
        quote_text="We never looked back.",
        accounts=[globex],
        products=[product("Analytics Cloud")],
    )
    second = factories.make_opportunity(sales_rep, amount=Decimal("2180000"))
    make_use(asset, sales_rep, opportunity=deal)  # 120,000
    make_use(asset, sales_rep, opportunity=second)
    make_use(asset, sales_rep, opportunity=second)

    page = rep_client.get(reverse("sales:asset", args=[asset.pk])).content.decode()

    assert "A bank cut fraud losses by 40%." in page and "We never looked back." in page
    assert "Globex Bank" in page and "Analytics Cloud" in page
    assert "Used 3 times, in deals worth $2.3M" in page


@pytest.mark.parametrize(
    ("status", "rights"),
    [(AssetStatus.PUBLISHED, UsageRights.NDA), (AssetStatus.LEGAL_REVIEW, UsageRights.PUBLIC)],
)
def test_an_asset_the_rep_may_not_see_is_a_404(rep_client, marketer, deal, status, rights):
    hidden = make_asset(marketer, title="Secret merger story", status=status, rights=rights, file_bytes=PDF)

    assert rep_client.get(reverse("sales:asset", args=[hidden.pk])).status_code == 404
    response = _use(rep_client, hidden, opportunity=deal.pk, how="download")
    assert response.status_code == 404
    assert not AssetUse.objects.exists()


def test_download_streams_the_file_as_an_attachment_and_records_the_use(
    rep_client, marketer, sales_rep, deal
):
    asset = make_asset(marketer, file_bytes=PDF)

    response = _use(rep_client, asset, opportunity=deal.pk, how="download")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert asset.file_name in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    use = AssetUse.objects.get()
    assert (use.asset, use.used_by, use.opportunity, use.how) == (asset, sales_rep, deal, "download")


def test_a_use_needs_a_deal_or_a_campaign_and_records_nothing_without(rep_client, marketer):
    asset = make_asset(marketer, file_bytes=PDF)

    response = _use(rep_client, asset, how="download")

    assert response.status_code == 400
    assert "Choose the deal you used it on, or name a campaign." in response.content.decode()
    assert not AssetUse.objects.exists()


def test_a_use_on_another_reps_deal_is_refused(rep_client, marketer, other_rep):
    asset = make_asset(marketer)
    oscars = factories.make_opportunity(other_rep, prospect_name="Zephyr Freight")

    response = _use(rep_client, asset, opportunity=oscars.pk, how="other")

    assert response.status_code == 400
    assert "Zephyr Freight" not in response.content.decode()
    assert not AssetUse.objects.exists()


def test_a_campaign_use_is_recorded_and_listed(rep_client, marketer):
    asset = make_asset(marketer)

    response = _use(rep_client, asset, campaign="Spring launch", how="other")

    assert response.status_code == 302
    page = rep_client.get(response["Location"]).content.decode()
    assert "Used 1 time" in page and "Spring launch" in page


def test_a_shareable_link_is_recorded_shown_and_opens_without_signing_in(rep_client, client, marketer, deal):
    asset = make_asset(marketer, title="Globex cuts fraud", summary="Fraud down 40%.", file_bytes=PDF)

    response = _use(rep_client, asset, opportunity=deal.pk, how="link")

    assert response.status_code == 302 and response["Location"].endswith("?link=1")
    assert AssetUse.objects.get().how == AssetUse.How.LINK
    page = rep_client.get(response["Location"])
    share_url = page.context["share_url"]
    assert share_url.startswith("http://testserver/shared/") and share_url in page.content.decode()

    rep_client.logout()
    opened = client.get(share_url)
    assert opened.status_code == 200
    assert "Globex cuts fraud" in opened.content.decode() and "Fraud down 40%." in opened.content.decode()
    file = client.get(share_url + "file/")
    assert file["Content-Disposition"].startswith("attachment;")
    assert b"".join(file.streaming_content) == PDF


def test_the_link_is_shown_only_after_its_use_is_recorded(rep_client, marketer, deal):
    # "Each use is recorded": typing ?link=1 must not hand out a public link with no use behind it.
    asset = make_asset(marketer, title="Globex cuts fraud")

    page = rep_client.get(reverse("sales:asset", args=[asset.pk]), {"link": "1"})

    assert page.status_code == 200 and page.context["share_url"] == ""
    assert "/shared/" not in page.content.decode()
    assert not AssetUse.objects.exists()


def test_the_sales_library_offers_only_published_assets_even_to_those_who_keep_it(
    client, admin_user, marketer
):
    # An administrator (or a rep who also keeps the library) sees every asset in /content/;
    # in the sales library, "content you may use", a draft or a withdrawn asset is never offered,
    # downloaded or recorded as used.
    make_asset(marketer, title="Globex cuts fraud")
    draft = make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT, file_bytes=PDF)
    withdrawn = make_asset(marketer, title="Withdrawn story", status=AssetStatus.WITHDRAWN, file_bytes=PDF)
    client.force_login(admin_user)

    page = client.get(reverse("sales:content")).content.decode()

    assert "Globex cuts fraud" in page
    assert "Draft story" not in page and "Withdrawn story" not in page
    for asset in (draft, withdrawn):
        assert client.get(reverse("sales:asset", args=[asset.pk])).status_code == 404
        assert _use(client, asset, campaign="Launch", how="download").status_code == 404
    assert not AssetUse.objects.exists()


@pytest.mark.parametrize("rights", [UsageRights.INTERNAL])
def test_an_internal_asset_never_gets_a_shareable_link(rep_client, marketer, deal, rights):
    asset = make_asset(marketer, rights=rights, file_bytes=PDF)

    page = rep_client.get(reverse("sales:asset", args=[asset.pk]), {"link": "1"})
    refused = _use(rep_client, asset, opportunity=deal.pk, how="link")

    assert "Get a shareable link" not in page.content.decode() and "/shared/" not in page.content.decode()
    assert refused.status_code == 403
    assert "/shared/" not in refused.content.decode()
    assert not AssetUse.objects.exists()


def test_a_shared_link_stops_opening_when_the_asset_stops_being_public_or_published(client, marketer):
    asset = make_asset(marketer, file_bytes=PDF)
    url = reverse("shared:asset", args=[share_token(asset)])
    assert client.get(url).status_code == 200

    Asset.objects.filter(pk=asset.pk).update(usage_rights=UsageRights.INTERNAL)
    assert client.get(url).status_code == 404
    assert client.get(url + "file/").status_code == 404

    Asset.objects.filter(pk=asset.pk).update(usage_rights=UsageRights.PUBLIC, status=AssetStatus.WITHDRAWN)
    assert client.get(url).status_code == 404
