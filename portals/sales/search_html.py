"""The search page's two long lists, written in Python: the facet column and the result cards.

A results page shows about 120 facet values and 20 cards. As template loops (an `{% include %}`
per card, a dozen tags per facet value) they cost about 8 ms a page, more than the search itself;
built here they cost well under one. The markup is the one the templates wrote, so the page,
its script (`static/js/sales.js`) and its tests read it alike.

What does not change between requests is built once per process: a facet value's markup around
its count and check mark, keyed by the facet, the value and its label — a renamed label is simply
another key, so nothing needs clearing.
"""

import html
from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.dates import day_text
from matching.selectors import FacetGroup, FacetValue, ReferenceCard

# A facet shows its first values; the rest fold under "More".
FACET_VALUES_SHOWN = 10


def facet_column(facets: list[FacetGroup]) -> SafeString:
    """One fieldset per facet that has values: a checkbox, label and count for each value."""
    # Safe: built from escaped parts.
    return mark_safe("".join(_facet(facet) for facet in facets if facet.values))


def _facet(facet: FacetGroup) -> str:
    values = [_facet_value(facet.key, value) for value in facet.values]
    if len(values) > FACET_VALUES_SHOWN:
        folded = "".join(values[FACET_VALUES_SHOWN:])
        values[FACET_VALUES_SHOWN:] = [
            f'<details class="facet-more"><summary>More</summary>{folded}</details>'
        ]
    head, tail = _facet_frame(facet.key, facet.label)
    return head + "".join(values) + tail


@lru_cache(maxsize=64)
def _facet_frame(key: str, label: str) -> tuple[str, str]:
    return (
        format_html('<fieldset class="facet" id="facet-{}">\n<legend>{}</legend>\n', key, label),
        "</fieldset>\n",
    )


def _facet_value(key: str, value: FacetValue) -> str:
    before_check, after_check = _facet_value_frame(key, value.value, value.label)
    return "".join(
        (
            '<label class="facet-value empty"' if not value.count else '<label class="facet-value"',
            before_check,
            "checked" if value.selected else "",
            after_check,
            str(int(value.count)),
            "</span>\n</label>\n",
        )
    )


@lru_cache(maxsize=4096)
def _facet_value_frame(key: str, value: str, label: str) -> tuple[str, str]:
    """A value's markup before and after its check mark, up to its count (escaped once)."""
    element_id = escape(f"f-{key}-{value}")
    return (
        format_html(
            ' for="{}">\n<input type="checkbox" name="{}" value="{}" id="{}" ',
            element_id,
            key,
            value,
            element_id,
        ),
        format_html('>\n<span class="facet-label">{}</span> <span class="facet-count">', label),
    )


def result_cards(cards: list[ReferenceCard], detail_query: str = "") -> SafeString:
    """The cards of a results page, each linking to the reference (carrying `detail_query`)."""
    # The reference's address around its id, reversed once rather than once per card.
    url_head, _id, url_tail = reverse("sales:reference", args=[0]).rpartition("0")
    link = (url_head, url_tail + (f"?{escape(detail_query)}" if detail_query else ""))
    # Safe: every value in a card is escaped.
    return mark_safe("".join(_card(card, link) for card in cards))


def _card(card: ReferenceCard, link: tuple[str, str]) -> str:
    # Plain escaping (`html.escape`, as Django's `escape` does) and an f-string: format_html's
    # lazy-text checks on some 25 values a card cost more than writing the card.
    resting = " resting" if card.resting else ""
    cid, name, account = int(card.contact_id), _e(card.name), _e(card.account_name)
    person = f"{name}, {_e(card.title)}" if card.title else name
    last = _e(day_text(card.last_activity_on)) or "none yet"
    used, window, score = int(card.used_in_window), int(card.window_days), int(card.score_percent)
    return (
        f'<li class="ref-card{resting}" id="ref-{cid}">\n'
        '<div class="ref-pick">\n'
        f'<input type="checkbox" form="request-form" name="contact" value="{cid}" id="pick-{cid}">\n'
        f'<label for="pick-{cid}" class="visually-hidden">Select {name} at {account}</label>\n'
        "</div>\n"
        '<div class="ref-main">\n'
        f'<h3 class="ref-account"><a href="{link[0]}{cid}{link[1]}">{account}</a></h3>\n'
        f'<p class="ref-person">{person} <span class="badge">{_e(card.persona)}</span></p>\n'
        f'<p class="ref-facts">{_e(card.industry)} · {_e(card.country)} ({_e(card.region)}) · '
        f"{_e(card.size_band)} · speaks {_e(card.language)}</p>\n"
        f"{_tags('Products', card.products)}{_tags('Use cases', card.use_cases)}"
        f'<p class="ref-usage muted">Used {used}× in the last {window} days · last activity {last}</p>\n'
        "</div>\n"
        '<div class="ref-score">\n'
        f'<span class="score" aria-label="Match {score} percent">{score}%</span>\n'
        f'<p class="explanation">\n{_explanation(card, resting)}</p>\n'
        "</div>\n"
        "</li>\n"
    )


def _e(value: object) -> str:
    return html.escape(str(value))


def _tags(label: str, names: tuple[str, ...]) -> str:
    if not names:
        return ""
    return f'<p class="ref-tags"><span class="muted">{label}</span> {", ".join(map(_e, names))}</p>\n'


def _explanation(card: ReferenceCard, resting: str) -> str:
    explanation = card.explanation
    criteria = "".join(f'<span class="crit {c.state}">{_e(c)}</span> ' for c in explanation.criteria)
    availability = f'<span class="avail{resting}">{_e(explanation.availability)}</span>\n'
    nps = f'<span class="nps">NPS {int(explanation.nps)}</span>\n' if explanation.nps is not None else ""
    return criteria + availability + nps
