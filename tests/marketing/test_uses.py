"""Recording uses of assets, and what they add up to: the rules, the counts, the deals' worth."""

from decimal import Decimal

import pytest

from core.errors import InvalidInput, NotAllowed
from marketing.models import AssetUse
from marketing.statuses import AssetStatus, UsageRights
from marketing.uses import asset_use_record, money_text, use_summary
from references.models import CurrencyRate, DealOutcome
from tests.builders import catalogue as factories
from tests.builders.library import make_asset, make_use


def test_a_rep_records_a_use_on_their_own_open_deal(sales_rep, marketer, deal):
    asset = make_asset(marketer)

    use = asset_use_record(asset=asset, user=sales_rep, how=AssetUse.How.DOWNLOAD, opportunity=deal)

    assert (use.asset, use.used_by, use.opportunity, use.how) == (asset, sales_rep, deal, "download")


def test_a_use_on_another_reps_deal_is_refused(sales_rep, other_rep, marketer):
    asset = make_asset(marketer)
    oscars = factories.make_opportunity(other_rep, prospect_name="Zephyr Freight")

    with pytest.raises(NotAllowed):
        asset_use_record(asset=asset, user=sales_rep, how=AssetUse.How.OTHER, opportunity=oscars)
    assert not AssetUse.objects.exists()


def test_a_use_on_a_lost_deal_is_refused(sales_rep, marketer):
    lost = factories.make_opportunity(sales_rep, outcome=DealOutcome.LOST)

    with pytest.raises(NotAllowed):
        asset_use_record(asset=make_asset(marketer), user=sales_rep, how=AssetUse.How.OTHER, opportunity=lost)


def test_a_use_names_one_deal_or_one_campaign(sales_rep, marketer, deal):
    asset = make_asset(marketer)
    with pytest.raises(InvalidInput):
        asset_use_record(asset=asset, user=sales_rep, how=AssetUse.How.OTHER)
    with pytest.raises(InvalidInput):
        asset_use_record(asset=asset, user=sales_rep, how=AssetUse.How.OTHER, opportunity=deal, campaign="X")

    use = asset_use_record(asset=asset, user=sales_rep, how=AssetUse.How.OTHER, campaign=" Spring launch ")
    assert use.campaign == "Spring launch" and use.opportunity is None


@pytest.mark.parametrize(
    ("status", "rights"),
    [(AssetStatus.PUBLISHED, UsageRights.NDA), (AssetStatus.DRAFT, UsageRights.PUBLIC)],
)
def test_a_rep_cannot_use_an_asset_they_may_not_see(sales_rep, marketer, deal, status, rights):
    hidden = make_asset(marketer, status=status, rights=rights)

    with pytest.raises(NotAllowed):
        asset_use_record(asset=hidden, user=sales_rep, how=AssetUse.How.OTHER, opportunity=deal)


def test_an_internal_asset_is_never_used_by_a_link(sales_rep, marketer, deal):
    internal = make_asset(marketer, rights=UsageRights.INTERNAL)

    with pytest.raises(NotAllowed):
        asset_use_record(asset=internal, user=sales_rep, how=AssetUse.How.LINK, opportunity=deal)
    # Downloaded for the deal, it is fine.
    asset_use_record(asset=internal, user=sales_rep, how=AssetUse.How.DOWNLOAD, opportunity=deal)


def test_the_summary_counts_uses_and_adds_distinct_open_or_won_deals_in_dollars(sales_rep, marketer):
    CurrencyRate.objects.update_or_create(currency="EUR", defaults={"per_usd": Decimal("0.5")})
    asset = make_asset(marketer)
    dollars = factories.make_opportunity(sales_rep, amount=Decimal("1000000"))
    euros = factories.make_opportunity(sales_rep, amount=Decimal("500000"), currency="EUR")  # $1M
    won = factories.make_opportunity(sales_rep, amount=Decimal("300000"), outcome=DealOutcome.WON)
    lost = factories.make_opportunity(sales_rep, amount=Decimal("9000000"), outcome=DealOutcome.LOST)
    unpriced = factories.make_opportunity(sales_rep, amount=Decimal("7000000"), currency="XYZ")
    for deal in (dollars, dollars, euros, won, lost, unpriced):  # the dollar deal twice
        make_use(asset, sales_rep, opportunity=deal)
    make_use(asset, sales_rep, campaign="Spring launch")
    make_use(make_asset(marketer), sales_rep, opportunity=dollars)  # another asset's use

    summary = use_summary(asset)

    assert summary.uses == 7
    assert summary.deals == 4  # dollars, euros, won, unpriced: distinct, lost left out
    assert summary.worth_usd == Decimal("2300000")
    assert summary.unpriced == 1
    assert summary.worth_text == "$2.3M"


def test_money_is_written_short():
    assert [money_text(Decimal(n)) for n in (950, 120000, 2300000, 2000000, 4500000000)] == [
        "$950",
        "$120K",
        "$2.3M",
        "$2M",
        "$4.5B",
    ]


@pytest.mark.parametrize("status", [AssetStatus.DRAFT, AssetStatus.WITHDRAWN, AssetStatus.EXPIRED])
def test_even_a_keeper_cannot_record_a_use_of_an_asset_that_is_not_published(marketer, status):
    asset = make_asset(marketer, status=status)

    with pytest.raises(NotAllowed, match="no longer published"):
        asset_use_record(asset=asset, user=marketer, how=AssetUse.How.OTHER, campaign="Launch")
    assert not AssetUse.objects.exists()
