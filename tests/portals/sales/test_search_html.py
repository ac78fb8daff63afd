"""The search page's facet column and cards, written in Python: escaped, complete, and never stale."""

from dataclasses import replace
from datetime import date

import pytest

from matching.scoring import Criterion, Explanation
from matching.selectors import FacetGroup, FacetValue, ReferenceCard
from portals.sales.search_html import FACET_VALUES_SHOWN, facet_column, result_cards
from tests.builders.search import index, make_reference

CARD = ReferenceCard(
    contact_id=7,
    name="Ann Lee",
    title="CFO",
    account_id=3,
    account_name="Acme Savings",
    customer_since=None,
    industry="Finance",
    region="North America",
    country="United States",
    size_band="Large",
    persona="Executive",
    language="English",
    products=("Analytics Cloud", "Fraud Shield"),
    use_cases=(),
    competitors=(),
    activity_types=(),
    used_in_window=1,
    window_days=90,
    last_activity_on=date(2026, 11, 20),
    resting=False,
    available_from=None,
    score=8,
    score_percent=80,
    explanation=Explanation(
        criteria=(Criterion("Industry", 2), Criterion("Region", 0)), availability="2 slots left"
    ),
)


def facet(*values: FacetValue, key: str = "industry") -> FacetGroup:
    return FacetGroup(key=key, label="Industry", values=values)


def test_a_facet_value_is_labelled_counted_and_checked_when_selected():
    html = facet_column([facet(FacetValue("5", "Finance", 12, True), FacetValue("6", "Retail", 0, False))])

    assert '<fieldset class="facet" id="facet-industry">' in html and "<legend>Industry</legend>" in html
    assert 'id="f-industry-5" checked>' in html
    assert '<span class="facet-label">Finance</span> <span class="facet-count">12</span>' in html
    assert '<label class="facet-value empty" for="f-industry-6">' in html
    assert 'id="f-industry-6" >' in html  # not checked


def test_values_past_the_first_ten_fold_under_more():
    values = [FacetValue(str(n), f"Value {n}", n, False) for n in range(FACET_VALUES_SHOWN + 2)]

    html = facet_column([facet(*values)])

    shown, folded = html.split('<details class="facet-more"><summary>More</summary>')
    assert shown.count('class="facet-value') == FACET_VALUES_SHOWN
    assert folded.count('class="facet-value') == 2 and folded.endswith("</details></fieldset>\n")


def test_a_facet_without_values_is_left_out():
    assert (
        facet_column([facet(), facet(FacetValue("1", "EMEA", 1, False), key="region")]).count("<fieldset")
        == 1
    )


def test_a_renamed_label_shows_its_new_name_although_value_markup_is_cached():
    facet_column([facet(FacetValue("5", "Finance", 1, False))])

    html = facet_column([facet(FacetValue("5", "Banking", 1, False))])

    assert "Banking" in html and "Finance" not in html


def test_facet_labels_are_escaped():
    html = facet_column([facet(FacetValue("5", "<b>R&D</b>", 1, False))])

    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in html and "<b>" not in html


def test_a_card_says_who_where_why_and_links_with_the_search_carried_over():
    html = result_cards([CARD], "opportunity=4&role=2")

    assert '<li class="ref-card" id="ref-7">' in html
    assert 'href="/sales/references/7/?opportunity=4&amp;role=2">Acme Savings</a>' in html
    assert "Ann Lee, CFO" in html and '<span class="badge">Executive</span>' in html
    assert "Finance · United States (North America) · Large · speaks English" in html
    assert "Analytics Cloud, Fraud Shield" in html and "Use cases" not in html
    assert "Used 1× in the last 90 days · last activity 20 Nov 2026" in html
    assert '<span class="crit match">Industry ✓</span> <span class="crit miss">Region ✗</span>' in html
    assert '<span class="avail">2 slots left</span>' in html and "NPS" not in html


def test_a_resting_card_without_history_says_so():
    resting = replace(
        CARD,
        title="",
        resting=True,
        last_activity_on=None,
        explanation=replace(CARD.explanation, nps=9, availability="resting until 1 Jan 2027"),
    )

    html = result_cards([resting])

    assert '<li class="ref-card resting"' in html and '<span class="avail resting">' in html
    assert 'href="/sales/references/7/">' in html
    assert '<p class="ref-person">Ann Lee <span' in html
    assert "last activity none yet" in html and '<span class="nps">NPS 9</span>' in html


def test_card_text_is_escaped():
    html = result_cards([replace(CARD, name="<script>x</script>", account_name="Tom & Jerry's")])

    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Tom &amp; Jerry&#x27;s" in html


@pytest.mark.django_db
def test_a_reference_named_with_markup_reaches_the_search_page_as_text(rep_client, account_owner):
    make_reference(account_owner, name="<img src=x onerror=alert(1)> Corp")
    index()

    page = rep_client.get("/sales/search/").content.decode()

    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; Corp" in page
