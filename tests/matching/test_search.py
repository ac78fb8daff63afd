"""Reference search: who is offered, in which order, with which explanation and facet counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.dates import day_text
from limits.models import ContactUsage, LimitPolicy, UsageState
from limits.rules import quarter_bounds
from matching.models import MatchWeights
from matching.scoring import Target
from matching.selectors import Cursor, Filters, rank_candidates, reference_detail, search_references
from references.models import Persona
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference, product, region


@pytest.fixture
def deal_target():
    """Finance (52), Analytics Cloud, North America, the third size band, an executive."""
    return Target(
        industry_id=factories.industry("52").pk,
        product_ids=(product("Analytics Cloud").pk,),
        region_id=region("NA").pk,
        size_band_id=factories.size_band(2).pk,
        persona_id=factories.persona("executive").pk,
    )


def names(page) -> list[str]:
    return [card.account_name for card in page.cards]


def test_industry_and_product_match_outranks_partial_match(account_owner, deal_target):
    make_reference(account_owner, name="Partial (industry only)", products=("Secure Edge",))
    make_reference(account_owner, name="Full match", products=("Analytics Cloud",))
    make_reference(account_owner, name="Product only", industry="31", products=("Analytics Cloud",))
    make_reference(account_owner, name="Nothing in common", industry="31", country="DE", size=0)
    index()

    page = search_references(filters=Filters(), target=deal_target)

    assert names(page) == ["Full match", "Partial (industry only)", "Product only", "Nothing in common"]
    scores = [card.score for card in page.cards]
    assert scores == sorted(scores, reverse=True)
    assert page.cards[0].score_percent > page.cards[1].score_percent


def test_opted_out_defected_at_risk_and_self_paused_are_never_offered(account_owner):
    make_reference(account_owner, name="Offerable")
    make_reference(account_owner, name="Opted out", prefs={"opted_out": True, "opted_out_at": timezone.now()})
    make_reference(account_owner, name="Self-paused", prefs={"paused_by_contact": True})
    make_reference(account_owner, name="Defected", status="defected")
    make_reference(account_owner, name="At risk", at_risk=True)
    make_reference(account_owner, name="Paused account", status="paused")
    make_reference(account_owner, name="Retired contact", contact_status="retired")
    index()

    page = search_references(filters=Filters())

    assert names(page) == ["Offerable"]
    assert page.total == 1
    industry_counts = {v.label: v.count for v in page.facets[0].values}
    assert sum(industry_counts.values()) == 1


def test_a_contact_who_opts_out_after_indexing_is_hidden_at_once(account_owner):
    keep = make_reference(account_owner, name="Stays")
    leaves = make_reference(account_owner, name="Opts out")
    index()
    leaves.preferences.opted_out, leaves.preferences.opted_out_at = True, timezone.now()
    leaves.preferences.save()

    page = search_references(filters=Filters())

    assert [card.contact_id for card in page.cards] == [keep.pk]
    assert reference_detail(contact_id=leaves.pk) is None


def test_resting_sorts_below_available_greyed_with_the_date_a_slot_frees(account_owner, deal_target):
    today = timezone.localdate()
    resting = make_reference(account_owner, name="Perfect but resting", products=("Analytics Cloud",))
    resting.status = "resting"
    resting.save()
    factories.make_activity(resting, today - timedelta(days=30))
    factories.make_activity(resting, today - timedelta(days=10))
    make_reference(account_owner, name="Weak but available", industry="31", country="JP")
    index(today)

    page = search_references(filters=Filters(), target=deal_target)

    assert names(page) == ["Weak but available", "Perfect but resting"]
    card = page.cards[1]
    assert card.resting and card.score > page.cards[0].score
    # The burnout limits' date: the 14 days of rest after the last activity.
    assert card.available_from == today - timedelta(days=10) + timedelta(days=14)
    assert card.available_from == ContactUsage.objects.get(contact=resting).available_from
    assert str(card.explanation).startswith("Industry ✓ Product ✓ Region ✓ Size ✓ Persona ✓ · Resting")


def test_explanation_reads_criteria_availability_and_nps(account_owner, deal_target):
    today = timezone.localdate()
    contact = make_reference(
        account_owner, products=("Analytics Cloud",), country="DE", size=3, persona="technical", nps=9
    )
    factories.make_activity(contact, today - timedelta(days=5))
    factories.make_activity(contact, today - timedelta(days=40))
    factories.make_activity(contact, today - timedelta(days=200))  # outside the 90-day window
    index(today)

    card = search_references(filters=Filters(), target=deal_target).cards[0]

    rested = today + timedelta(days=9)  # 14 days of rest after the last activity
    # Two slots of the window's four are free, but the rest refuses an approval today.
    assert str(card.explanation) == (
        f"Industry ✓ Product ✓ Region ✗ Size close Persona close · Resting · free from {day_text(rested)}"
        " · NPS 9"
    )
    assert (card.used_in_window, card.window_days) == (2, 90)
    assert card.last_activity_on == today - timedelta(days=5)


def test_the_contacts_own_lower_cap_wins(account_owner):
    contact = make_reference(account_owner, prefs={"own_cap_per_quarter": 2})
    factories.make_activity(contact, timezone.localdate() - timedelta(days=3))
    index()

    card = search_references(filters=Filters()).cards[0]

    rested = timezone.localdate() + timedelta(days=11)
    assert card.explanation.availability == f"Resting · free from {day_text(rested)}"


def test_the_contacts_own_lower_cap_is_named_when_it_binds(account_owner):
    contact = make_reference(account_owner, prefs={"own_cap_per_quarter": 2})
    factories.make_activity(contact, timezone.localdate() - timedelta(days=20))
    index()

    card = search_references(filters=Filters()).cards[0]

    if timezone.localdate() - timedelta(days=20) >= quarter_bounds(timezone.localdate())[0]:
        assert card.explanation.availability == "1 slot left — their own cap of 2 a quarter"
    else:  # the activity was last quarter: the program's window binds
        assert card.explanation.availability == "3 slots left"


def test_stored_usage_ranks_while_the_card_shows_the_live_figure(account_owner):
    today = timezone.localdate()
    make_reference(account_owner, name="Nothing used")
    some = make_reference(account_owner, name="One used")
    full = make_reference(account_owner, name="At the limit")
    index(today)
    # Written after indexing: search ranks on the stored usage at query time, not a copy in the
    # index. These rows count uses nobody recorded, so the live figure on the card disagrees.
    ContactUsage.objects.create(
        contact=some, account=some.account, used=1, slots_left=3, state=UsageState.AVAILABLE
    )
    ContactUsage.objects.create(
        contact=full,
        account=full.account,
        used=4,
        slots_left=0,
        state=UsageState.LIMITED,
        limit_code="contact_window",
        available_from=today + timedelta(days=30),
    )

    page = search_references(filters=Filters())

    assert names(page) == ["Nothing used", "One used", "At the limit"]
    by_name = {card.account_name: card for card in page.cards}
    # What an approval would enforce: nothing is held or approved, so every slot is free.
    assert {card.explanation.availability for card in page.cards} == {"4 slots left"}
    assert by_name["One used"].used_in_window == 0  # counted live too, like the figure
    at_limit = by_name["At the limit"]
    assert at_limit.explanation.free == 4 and not at_limit.resting and at_limit.available_from is None

    LimitPolicy.objects.filter(pk=1).update(contact_max=6)

    by_name = {card.account_name: card for card in search_references(filters=Filters()).cards}
    assert by_name["Nothing used"].explanation.availability == "6 slots left"


def test_a_contact_the_limits_job_rests_sorts_below_the_available(account_owner):
    today = timezone.localdate()
    busy = make_reference(account_owner, name="Busy")
    for days_ago in (80, 60, 40, 20):
        factories.make_activity(busy, today - timedelta(days=days_ago))
    make_reference(account_owner, name="Free", industry="31")
    index(today)  # the limits job rests the busy contact, then the index picks that up

    page = search_references(filters=Filters())

    assert names(page) == ["Free", "Busy"]
    card = page.cards[1]
    usage = ContactUsage.objects.get(contact=busy)
    assert usage.slots_left == 0 and card.resting
    assert card.available_from == usage.available_from == today - timedelta(days=80) + timedelta(days=90)
    assert card.explanation.availability == (
        "No slot left — the program's cap of 4 per contact in 90 days"
        f" · free from {day_text(usage.available_from)}"
    )


def test_weights_are_read_from_the_admin_editable_row(account_owner, deal_target):
    make_reference(account_owner, name="Same industry", products=("Secure Edge",))
    make_reference(account_owner, name="Same product", industry="31", products=("Analytics Cloud",))
    index()
    assert names(search_references(filters=Filters(), target=deal_target))[0] == "Same industry"

    MatchWeights.objects.filter(pk=1).update(industry=5, product=60)

    assert names(search_references(filters=Filters(), target=deal_target))[0] == "Same product"


def test_facet_counts_are_correct_with_filters_applied(account_owner):
    make_reference(account_owner, industry="52", products=("Analytics Cloud", "Secure Edge"))
    make_reference(account_owner, industry="52", products=("Analytics Cloud",))
    make_reference(account_owner, industry="52", products=("Secure Edge",), country="DE")
    make_reference(account_owner, industry="31", products=("Analytics Cloud",))
    make_reference(account_owner, industry="31", products=("AI Assistant",), persona="technical")
    index()
    analytics = product("Analytics Cloud").pk
    finance = factories.industry("52").pk

    page = search_references(filters=Filters(industry=(finance,), product=(analytics,)))

    assert page.total == 2
    facets = {group.key: {v.label: (v.count, v.selected) for v in group.values} for group in page.facets}
    # A facet's counts apply every other filter: industries among Analytics Cloud users…
    assert facets["industry"] == {
        "Manufacturing": (1, False),
        "Finance and Insurance": (2, True),
    }
    # …and products among finance references (a reference counts once per product it uses).
    assert facets["product"] == {"Analytics Cloud": (2, True), "Secure Edge": (2, False)}
    # Facets nobody filters on count the results themselves.
    assert facets["region"] == {"North America": (2, False)}
    assert facets["persona"] == {"Executive": (2, False)}
    assert sum(count for count, _selected in facets["country"].values()) == page.total


def test_zero_results_suggest_the_single_criterion_to_relax(account_owner):
    make_reference(account_owner, industry="52", country="DE")
    make_reference(account_owner, industry="52", country="FR")
    make_reference(account_owner, industry="52", country="US", persona="technical")
    index()
    filters = Filters(
        industry=(factories.industry("52").pk,),
        region=(region("NA").pk,),
        persona=(factories.persona("executive").pk,),
    )

    page = search_references(filters=filters)

    assert page.total == 0 and page.cards == []
    relax = {(r.key, r.count) for r in page.relaxations}
    assert relax == {("region", 2), ("persona", 1)}
    assert page.relaxations[0].label == "Region"


def test_keyset_pages_cover_every_result_once(account_owner, deal_target):
    for n in range(7):
        make_reference(account_owner, name=f"Ref {n}", industry="52" if n % 2 else "31", nps=n)
    index()
    seen, after = [], None
    while True:
        page = search_references(filters=Filters(), target=deal_target, after=after, page_size=3)
        seen += [card.contact_id for card in page.cards]
        assert page.total == 7
        if page.next_cursor is None:
            break
        after = Cursor.parse(str(page.next_cursor))
    assert len(seen) == len(set(seen)) == 7


def test_malformed_cursors_mean_the_first_page():
    assert Cursor.parse("0.12.99") == Cursor(False, 12, 99)
    for bad in ("", "x", "2.1.1", "0.1", "0.1.1;drop", None):
        assert Cursor.parse(bad) is None


def test_free_text_finds_words_in_name_story_and_products(account_owner):
    make_reference(account_owner, name="Umbrella Logistics", story="Cut warehouse costs with dashboards.")
    make_reference(account_owner, name="Initech", products=("Observability Suite",))
    make_reference(account_owner, name="Hooli")
    index()

    assert names(search_references(filters=Filters(q="warehouse"))) == ["Umbrella Logistics"]
    assert names(search_references(filters=Filters(q="observability"))) == ["Initech"]
    assert names(search_references(filters=Filters(q="umbrella warehouse"))) == ["Umbrella Logistics"]
    assert search_references(filters=Filters(q="nonexistentword")).total == 0


def test_full_text_ranks_a_name_match_above_a_story_mention(account_owner):
    make_reference(account_owner, name="Acme Freight", story="A story with no keyword in it.")
    make_reference(account_owner, name="Zenith Corp", story="They moved their freight tracking to us.")
    make_reference(account_owner, name="Other")
    index()

    page = search_references(filters=Filters(q="freight"))

    assert names(page) == ["Acme Freight", "Zenith Corp"]
    assert page.cards[0].explanation.text_points > page.cards[1].explanation.text_points
    # Stemming: "freights" finds the same; stop words are not required; text relevance is
    # (2 × text weight × raw) // (raw + 10): the name's weight 10 gives 10 points, the story's 2 gives 3.
    assert search_references(filters=Filters(q="freights")).total == 2
    assert search_references(filters=Filters(q="the freight")).total == 2
    assert [c.explanation.text_points for c in page.cards] == [10, 3]
    # Search text with no term left matches nothing (as a search for nothing would not be asked).
    assert search_references(filters=Filters(q="the of")).total == 0


def test_rank_candidates_leaves_out_the_given_contacts(account_owner, deal_target):
    first = make_reference(account_owner, name="Best", products=("Analytics Cloud",))
    make_reference(account_owner, name="Second", products=("Secure Edge",))
    make_reference(account_owner, name="Unwilling", activity_types=("case_study",))
    index()
    call = factories.activity_type("reference_call").pk

    cards = rank_candidates(
        target=deal_target, filters=Filters(activity=(call,)), exclude_contact_ids=[first.pk]
    )

    assert [card.account_name for card in cards] == ["Second"]


def test_target_region_comes_from_the_deal_country(account_owner):
    make_reference(account_owner, name="German", country="DE")
    make_reference(account_owner, name="American", country="US")
    index()
    target = Target(country_id=factories.country("FR").pk)  # France: EMEA, like Germany

    page = search_references(filters=Filters(), target=target)

    assert names(page) == ["German", "American"]
    assert [str(c) for c in page.cards[0].explanation.criteria] == ["Region ✓"]


def test_persona_facet_and_closeness(account_owner):
    make_reference(account_owner, name="Exec", persona="executive")
    make_reference(account_owner, name="Tech", persona="technical")
    make_reference(account_owner, name="User", persona="end_user")
    index()
    technical = Persona.objects.get(code="technical").pk

    page = search_references(
        filters=Filters(), target=Target(persona_id=Persona.objects.get(code="end_user").pk)
    )
    assert names(page)[0] == "User"
    assert [c.state for c in page.cards[1].explanation.criteria] == ["close"]
    assert names(search_references(filters=Filters(persona=(technical,)))) == ["Tech"]


@pytest.mark.parametrize("references", [10, 200])
def test_a_results_page_is_three_queries_whatever_the_size(
    account_owner, deal_target, references, django_assert_num_queries
):
    for n in range(references):
        make_reference(
            account_owner, industry="52" if n % 3 else "31", products=("Analytics Cloud",), nps=n % 11
        )
    index()
    filters = Filters(industry=(factories.industry("52").pk,), q="customer")
    # The first search after the index was published loads the new snapshot (one more query).
    with django_assert_num_queries(4):
        search_references(filters=filters, target=deal_target)

    # 1 labels, weights and the snapshot's version, 2 live rows of the page, 3 the burnout limits'
    # live figure for the page (limits.selectors.availability_for: the contacts, their accounts,
    # the policy, rules, blackouts, held activities and approved requests, in one statement).
    # Ranking, facet counts and the total are computed in memory.
    with django_assert_num_queries(3):
        page = search_references(filters=filters, target=deal_target)
    assert page.cards and page.total == len([n for n in range(references) if n % 3])


def test_an_empty_page_is_one_query(account_owner, django_assert_num_queries):
    make_reference(account_owner)
    index()
    search_references(filters=Filters())  # loads the snapshot
    # Labels, weights and the snapshot's version; the counts with one criterion dropped are
    # computed in memory.
    with django_assert_num_queries(1):
        page = search_references(filters=Filters(q="customer", language=("xx",)))
    assert [(r.key, r.count) for r in page.relaxations] == [("language", 1)]


def test_counts_without_filters_are_the_whole_index_counts(account_owner):
    make_reference(account_owner, industry="52", products=("Analytics Cloud", "Secure Edge"))
    make_reference(account_owner, industry="52", products=("Analytics Cloud",))
    make_reference(account_owner, industry="31", products=("Secure Edge",), persona="technical")
    index()
    finance = factories.industry("52").pk

    everything = search_references(filters=Filters())
    finance_only = search_references(filters=Filters(industry=(finance,)))

    def counts(page, key):
        return {v.label: v.count for v in next(g for g in page.facets if g.key == key).values}

    assert everything.total == 3
    assert counts(everything, "product") == {"Analytics Cloud": 2, "Secure Edge": 2}
    assert counts(everything, "persona") == {"Executive": 2, "Technical": 1}
    # Filtering on industry alone: its own facet still shows every industry's count…
    assert counts(finance_only, "industry") == {"Manufacturing": 1, "Finance and Insurance": 2}
    # …and the other facets count the finance references only.
    assert finance_only.total == 2
    assert counts(finance_only, "product") == {"Analytics Cloud": 2, "Secure Edge": 1}
