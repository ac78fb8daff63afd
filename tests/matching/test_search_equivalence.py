"""The search against its reference: on a generated catalogue, random searches — facets, words,
deals — get from `search_references` exactly what `reference_search` works out with plain loops
over the catalogue: the same results in the same order (walked page by page with the cursor),
scores and explanation grades, total, every facet's counts, and what to relax when nothing matched.

Each test reports every case that differs, with the case, so a failure says what kind of search
went wrong rather than only the first one.
"""

import random

import pytest

from matching.selectors import Cursor, SearchPage, search_references
from tests.matching.random_catalogue import Case, Generated, build_catalogue, random_case
from tests.matching.reference_search import Expected, Ranked, World, expected_search, load_world

# Per generated catalogue (two of them, from two seeds).
CASES_WITHOUT_WORDS = 40
CASES_WITH_WORDS = 40
EMPTY_CASES = 8


def walk(case: Case) -> list[SearchPage]:
    """The first pages of the search, each asked for with the previous one's cursor."""
    pages, after = [], None
    for _ in range(case.pages):
        page = search_references(
            filters=case.filters, target=case.target, after=after, page_size=case.page_size
        )
        pages.append(page)
        after = page.next_cursor
        if after is None:
            break
    return pages


def card_facts(card) -> tuple:
    """What a card says that the reference works out: who, the score and why."""
    explanation = card.explanation
    return (
        card.contact_id,
        card.account_id,
        card.score,
        card.score_percent,
        tuple((c.label, c.grade) for c in explanation.criteria),
        explanation.cap,
        explanation.nps,
        explanation.text_points,
        card.last_activity_on,
        tuple(sorted(card.activity_type_ids)),
    )


def expected_facts(ranked: Ranked, best: int) -> tuple:
    reference = ranked.reference
    return (
        reference.contact_id,
        reference.account_id,
        ranked.score,
        min(100, round(100 * ranked.score / best)),
        ranked.grades,
        ranked.cap,
        reference.nps,
        ranked.text_points,
        reference.last_activity_on,
        tuple(sorted(reference.activity)),
    )


def expected_cursor(expected: Expected, shown: int) -> Cursor | None:
    """The cursor after the page ending at `shown` results: its last row, if more follow."""
    if len(expected.ranked) <= shown:
        return None
    last = expected.ranked[shown - 1]
    return Cursor(last.reference.resting, last.score, last.reference.contact_id)


def differences(world: World, case: Case) -> list[str]:
    """Where the search's pages disagree with the reference (empty: they agree)."""
    expected = expected_search(world, case.filters, case.target)
    pages = walk(case)
    found = []
    first = pages[0]
    if first.total != expected.total:
        found.append(f"total {first.total} != {expected.total}")
    facets = {group.key: [(v.value, v.count, v.selected) for v in group.values] for group in first.facets}
    for key, values in expected.facets.items():
        if facets.get(key) != values:
            found.append(f"facet {key}: {facets.get(key)} != {values}")
    relaxations = [(r.key, r.label, r.count) for r in first.relaxations]
    if relaxations != expected.relaxations:
        found.append(f"relaxations {relaxations} != {expected.relaxations}")
    shown = 0
    for number, page in enumerate(pages, start=1):
        wanted = expected.ranked[shown : shown + case.page_size]
        got = [card_facts(card) for card in page.cards]
        want = [expected_facts(ranked, expected.best_score) for ranked in wanted]
        if got != want:
            found.append(f"page {number} cards (id, account, score, %, grades, cap, nps, text, …):")
            found += [f"    got  {g}\n    want {w}" for g, w in zip(got, want, strict=False) if g != w]
            if len(got) != len(want):
                found.append(
                    f"    {len(got)} cards != {len(want)}: {[g[0] for g in got]} != {[w[0] for w in want]}"
                )
        shown += len(wanted)
        cursor = expected_cursor(expected, shown)
        if page.next_cursor != cursor:
            found.append(f"page {number} cursor {page.next_cursor} != {cursor}")
    return found


def check(world: World, cases: list[Case]) -> None:
    """Put every case; fail listing each that differs."""
    failures = []
    for n, case in enumerate(cases):
        found = differences(world, case)
        if found:
            failures.append(f"case {n}: {case}\n  " + "\n  ".join(found))
    assert not failures, f"{len(failures)} of {len(cases)} searches differ:\n" + "\n".join(failures[:8])


@pytest.fixture(params=[14, 41], ids=lambda seed: f"seed{seed}")
def catalogue(request, account_owner) -> tuple[random.Random, Generated, World]:
    rng = random.Random(request.param)
    generated = build_catalogue(rng, account_owner)
    world = load_world()
    assert_varied(world, generated)
    return rng, generated, world


def assert_varied(world: World, generated: Generated) -> None:
    """The comparisons mean something only on a catalogue with what search must tell apart."""
    references = world.references
    assert 45 <= len(references) < len(generated.contact_ids)  # some may never be offered
    assert any(r.resting for r in references) and not all(r.resting for r in references)
    assert any(r.slots_left is not None for r in references)  # the limits job counted uses
    assert {r.own_cap for r in references} >= {None, 0, 1, 2}
    assert None in {r.nps for r in references}
    assert len({r.account_id for r in references}) < len(references)  # accounts with two contacts
    assert len({r.language for r in references}) >= 3
    assert len({r.region for r in references}) == 4


def test_searches_without_words_match_the_reference(catalogue):
    rng, generated, world = catalogue
    check(world, [random_case(rng, generated, with_words=False) for _ in range(CASES_WITHOUT_WORDS)])


def test_searches_with_words_match_the_reference(catalogue):
    rng, generated, world = catalogue
    check(world, [random_case(rng, generated, with_words=True) for _ in range(CASES_WITH_WORDS)])


def test_empty_results_offer_the_same_relaxations(catalogue):
    """Searches the reference finds nothing for: the same total of 0 and the same suggestions."""
    rng, generated, world = catalogue
    empty = []
    for _ in range(400):
        case = random_case(rng, generated, with_words=False)
        if (
            len(case.filters.active_facets()) >= 2
            and not expected_search(world, case.filters, case.target).ranked
        ):
            empty.append(case)
        if len(empty) == EMPTY_CASES:
            break
    assert len(empty) == EMPTY_CASES
    check(world, empty)
