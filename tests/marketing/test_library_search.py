"""The library's faceted search: who sees what, the words, the facets and their counts."""

from marketing.search import AssetFilters, search_assets
from marketing.statuses import AssetKind, AssetStatus, UsageRights
from tests.builders import catalogue as factories
from tests.builders.library import make_asset
from tests.builders.search import product, use_case


def _titles(found) -> set[str]:
    return {asset.title for asset in found.rows}


def _counts(found, key: str) -> dict[str, int]:
    group = next(g for g in found.facets if g.key == key)
    return {v.label: v.count for v in group.values}


def test_a_rep_sees_published_public_and_internal_assets_never_nda_or_unpublished(sales_rep, marketer):
    make_asset(marketer, title="Public story")
    make_asset(marketer, title="Internal story", rights=UsageRights.INTERNAL)
    make_asset(marketer, title="Secret story", rights=UsageRights.NDA)
    make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT)
    make_asset(marketer, title="Withdrawn story", status=AssetStatus.WITHDRAWN)

    found = search_assets(user=sales_rep, filters=AssetFilters())

    assert _titles(found) == {"Public story", "Internal story"}
    assert found.total == 2
    assert "status" not in {g.key for g in found.facets}  # a rep has only published ones
    assert _counts(found, "rights") == {"Public": 1, "Internal only": 1}


def test_marketing_sees_every_status_and_filters_by_it(marketer):
    make_asset(marketer, title="Public story")
    make_asset(marketer, title="Secret story", rights=UsageRights.NDA)
    make_asset(marketer, title="Draft story", status=AssetStatus.DRAFT)

    everything = search_assets(user=marketer, filters=AssetFilters())
    drafts = search_assets(user=marketer, filters=AssetFilters(status=(AssetStatus.DRAFT,)))

    assert _titles(everything) == {"Public story", "Secret story", "Draft story"}
    assert _titles(drafts) == {"Draft story"}
    # Disjunctive: the status facet still counts every status, the others only the drafts.
    assert _counts(drafts, "status") == {"Draft": 1, "Published": 2}
    assert _counts(drafts, "rights") == {"Public": 1}


def test_words_match_title_summary_quote_and_customer_names(marketer, account_owner):
    globex = factories.make_account(account_owner, name="Globex Bank")
    make_asset(marketer, title="Fraud down 40%", accounts=[globex])
    make_asset(marketer, title="Another", summary="How a bank cut fraud")
    make_asset(marketer, title="Quoted", kind=AssetKind.QUOTE, quote_text="We never looked back at fraud.")
    make_asset(marketer, title="Unrelated")

    assert _titles(search_assets(user=marketer, filters=AssetFilters(q="fraud"))) == {
        "Fraud down 40%",
        "Another",
        "Quoted",
    }
    assert _titles(search_assets(user=marketer, filters=AssetFilters(q="globex fraud"))) == {"Fraud down 40%"}


def test_facets_match_any_value_within_and_all_across_with_disjunctive_counts(marketer):
    cloud, edge = product("Analytics Cloud"), product("Secure Edge")
    finance, retail = factories.industry("52"), factories.industry("44")
    make_asset(marketer, title="Cloud in finance", products=[cloud], industries=[finance])
    make_asset(marketer, title="Edge in finance", products=[edge], industries=[finance])
    make_asset(marketer, title="Cloud in retail", products=[cloud], industries=[retail])

    either = search_assets(user=marketer, filters=AssetFilters(product=(cloud.pk, edge.pk)))
    both = search_assets(user=marketer, filters=AssetFilters(product=(cloud.pk,), industry=(finance.pk,)))

    assert len(either.rows) == 3
    assert _titles(both) == {"Cloud in finance"}
    # Product's counts apply the industry filter only; industry's apply the product filter only.
    assert _counts(both, "product") == {"Analytics Cloud": 1, "Secure Edge": 1}
    assert _counts(both, "industry") == {finance.name: 1, retail.name: 1}
    ticked = [v for g in both.facets for v in g.values if v.selected]
    assert {v.label for v in ticked} == {"Analytics Cloud", finance.name}


def test_a_ticked_value_nothing_has_keeps_its_label(marketer):
    make_asset(marketer, title="Plain")
    growth = use_case("Fraud detection")

    found = search_assets(user=marketer, filters=AssetFilters(use_case=(growth.pk,)))

    assert found.total == 0
    group = next(g for g in found.facets if g.key == "use_case")
    assert [(v.label, v.count, v.selected) for v in group.values] == [("Fraud detection", 0, True)]


def test_use_counts_are_on_the_rows(marketer, sales_rep, deal):
    from tests.builders.library import make_use

    used = make_asset(marketer, title="Used")
    make_asset(marketer, title="Unused")
    make_use(used, sales_rep, opportunity=deal)
    make_use(used, sales_rep, campaign="Spring launch")

    rows = {a.title: a.use_count for a in search_assets(user=marketer, filters=AssetFilters()).rows}

    assert rows == {"Used": 2, "Unused": 0}
