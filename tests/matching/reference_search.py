"""What a search page must answer, worked out the plain way: loops over the catalogue's rows.

The specification of `matching.selectors.search_references`, kept in the tests so any engine
(SQL, an in-memory index) can be checked against it. It reads the catalogue itself (accounts,
contacts, their preferences, activities) and the limits job's `ContactUsage` — never the search
index — so it checks the indexing too:

- **Who.** A contact with participation preferences, not opted out nor self-paused, whose status
  and whose account's status are usable (active or resting), at an account not at risk.
  `resting`: the contact or its account is resting.
- **Filters.** Any selected value within a facet, every facet; words: every term of the search in
  the account's document (terms and weights are `matching.text`'s definition).
- **Score.** Each criterion the target gives, graded 2 (match), 1 (the next size band or persona
  in the taxonomy's order), 0; Σ weight × grade + availability (2 × weight × free // cap, the cap
  being the program's or the contact's own lower one, free the stored slots left within [0, cap])
  + health (2 × weight × NPS // 10) + text points.
- **Order.** Available before resting, higher score first, then lower contact id.
- **Facets.** Each facet counted over the results of every other filter (its own left out); the
  values with a count, and the selected ones even with none; taxonomy values in the taxonomy's
  order, languages by count.
- **Relaxations.** For an empty result: the count with each single criterion dropped, best first.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from limits.models import ContactUsage, LimitPolicy
from matching.facets import FACETS
from matching.filters import Filters
from matching.models import MatchWeights
from matching.scoring import Target
from matching.text import document_weights, terms_of, text_points
from references import models as catalogue
from references.models import Contact
from references.statuses import USABLE_STATUSES, ReferenceStatus

# The criteria in the order the explanation reads them:
# (label, target attribute, reference attribute, its weight, whether a neighbour is "close").
CRITERIA = (
    ("Industry", "industry_id", "industry", "industry", False),
    ("Product", "product_ids", "products", "product", False),
    ("Region", "region_id", "region", "region", False),
    ("Size", "size_band_id", "size", "size", True),
    ("Persona", "persona_id", "persona", "persona", True),
)
# The facets whose key is not the attribute's name.
FACET_ATTRIBUTE = {"product": "products", "use_case": "use_cases", "competitor": "competitors"}


@dataclass(frozen=True)
class Reference:
    """One offerable contact with everything search filters, ranks and shows."""

    contact_id: int
    account_id: int
    resting: bool
    nps: int | None
    industry: int
    country: int
    region: int
    size: int
    persona: int
    language: str
    products: frozenset[int]
    use_cases: frozenset[int]
    competitors: frozenset[int]
    activity: frozenset[int]
    own_cap: int | None
    slots_left: int | None  # None: no usage row, nothing used
    last_activity_on: date | None
    terms: dict[str, int]  # the account's document: each term with its weight

    def facet_values(self, key: str) -> frozenset:
        """The values this reference has for a facet (one for most, several for the id lists)."""
        value = getattr(self, FACET_ATTRIBUTE.get(key, key))
        return value if isinstance(value, frozenset) else frozenset([value])


@dataclass
class World:
    """The catalogue as the reference sees it: offerable contacts, orders, weights and caps."""

    references: list[Reference]
    order: dict[str, list[int]]  # taxonomy kind -> ids in (sort_order, name, id) order
    country_region: dict[int, int]
    weights: MatchWeights
    default_cap: int


@dataclass
class Ranked:
    """One result: its grades per criterion of the target, cap, text points and score."""

    reference: Reference
    grades: tuple[tuple[str, int], ...]
    cap: int
    text_points: int
    score: int

    @property
    def key(self) -> tuple:
        return (self.reference.resting, -self.score, self.reference.contact_id)


@dataclass
class Expected:
    """The whole answer to one search: every result in order (not only a page), and the rest."""

    ranked: list[Ranked]
    total: int
    facets: dict[str, list[tuple[str, int, bool]]] = field(default_factory=dict)
    relaxations: list[tuple[str, str, int]] = field(default_factory=list)
    best_score: int = 1


def is_offerable(contact: Contact) -> bool:
    account = contact.account
    preferences = getattr(contact, "preferences", None)
    return (
        preferences is not None
        and not preferences.opted_out
        and not preferences.paused_by_contact
        and contact.status in USABLE_STATUSES
        and account.status in USABLE_STATUSES
        and not account.at_risk
    )


def load_world() -> World:
    """Read the catalogue through the ORM: one plain loop over every contact."""
    kinds = {"industry": catalogue.Industry, "product": catalogue.Product, "use_case": catalogue.UseCase}
    kinds |= {"competitor": catalogue.Competitor, "region": catalogue.Region, "country": catalogue.Country}
    kinds |= {"size": catalogue.SizeBand, "persona": catalogue.Persona, "activity": catalogue.ActivityType}
    order = {
        kind: [pk for _s, _n, pk in sorted(model.objects.values_list("sort_order", "name", "pk"))]
        for kind, model in kinds.items()
    }
    country_region = dict(catalogue.Country.objects.values_list("pk", "region_id"))
    slots_left = dict(ContactUsage.objects.values_list("contact_id", "slots_left"))
    contacts = Contact.objects.select_related(
        "account__industry", "account__country", "preferences"
    ).prefetch_related(
        "account__products",
        "account__use_cases",
        "account__competitors_displaced",
        "preferences__activity_types",
        "activities",
    )
    references = []
    for contact in contacts:
        if not is_offerable(contact):
            continue
        account = contact.account
        products = list(account.products.all())
        use_cases = list(account.use_cases.all())
        competitors = list(account.competitors_displaced.all())
        tags = " ".join(
            [account.industry.name, account.country.name]
            + [t.name for t in products + use_cases + competitors]
        )
        days = [a.occurred_on for a in contact.activities.all()]
        resting = ReferenceStatus.RESTING in (contact.status, account.status)
        references.append(
            Reference(
                contact_id=contact.pk,
                account_id=account.pk,
                resting=resting,
                nps=account.nps,
                industry=account.industry_id,
                country=account.country_id,
                region=account.country.region_id,
                size=account.size_band_id,
                persona=contact.persona_id,
                language=contact.language,
                products=frozenset(p.pk for p in products),
                use_cases=frozenset(u.pk for u in use_cases),
                competitors=frozenset(c.pk for c in competitors),
                activity=frozenset(t.pk for t in contact.preferences.activity_types.all()),
                own_cap=contact.preferences.own_cap_per_quarter,
                slots_left=slots_left.get(contact.pk),
                last_activity_on=max(days) if days else None,
                terms=document_weights(account.name, tags, account.reference_story),
            )
        )
    return World(
        references=references,
        order=order,
        country_region=country_region,
        weights=MatchWeights.load(),
        default_cap=LimitPolicy.current().contact_max,
    )


# --- One search ---------------------------------------------------------------------------


def completed(world: World, target: Target) -> Target:
    """A target with a country but no region ranks on the country's region."""
    if target.region_id is None and target.country_id is not None:
        return replace(target, region_id=world.country_region.get(target.country_id))
    return target


def passes(reference: Reference, filters: Filters, *, skip: str | None = None) -> bool:
    """Whether the reference meets every facet filter (but `skip`) and the contact restrictions."""
    for spec in FACETS:
        selected = getattr(filters, spec.key)
        if spec.key == skip or not selected:
            continue
        if not reference.facet_values(spec.key) & set(selected):
            return False
    if filters.contacts and reference.contact_id not in filters.contacts:
        return False
    return reference.contact_id not in filters.exclude_contacts


def text_raw(reference: Reference, q: str) -> int | None:
    """The summed weight of the search's terms in the document; None when it does not match
    (a term missing, or no term at all)."""
    wanted = set(terms_of(q or ""))
    if not wanted or any(term not in reference.terms for term in wanted):
        return None
    return sum(reference.terms[term] for term in wanted)


def matching(world: World, filters: Filters, *, skip: str | None = None) -> list[Reference]:
    found = []
    for reference in world.references:
        if filters.q and text_raw(reference, filters.q) is None:
            continue
        if passes(reference, filters, skip=skip):
            found.append(reference)
    return found


def grade(world: World, kind: str, wanted, have, *, close: bool) -> int:
    if isinstance(wanted, tuple):  # products: any in common
        return 2 if set(wanted) & have else 0
    if have == wanted:
        return 2
    if close:
        order = world.order[kind]
        if wanted in order:
            at = order.index(wanted)
            if have in order[max(at - 1, 0) : at + 2]:
                return 1
    return 0


def rank(world: World, reference: Reference, target: Target, q: str) -> Ranked:
    weights = world.weights
    grades, score = [], 0
    for label, attribute, have, weight, close in CRITERIA:
        wanted = getattr(target, attribute)
        if not wanted:
            continue
        g = grade(world, have, wanted, getattr(reference, have), close=close)
        grades.append((label, g))
        score += getattr(weights, weight) * g
    own = reference.own_cap if reference.own_cap is not None else world.default_cap
    cap = min(own, world.default_cap)
    slots = reference.slots_left if reference.slots_left is not None else cap
    free = max(min(slots, cap), 0)
    if cap > 0:
        score += (2 * weights.availability * free) // cap
    score += (2 * weights.nps * (reference.nps or 0)) // 10
    points = text_points(text_raw(reference, q) or 0, weights.text) if q else 0
    score += points
    return Ranked(reference, tuple(grades), cap, points, score)


def best_score(world: World, target: Target, *, with_text: bool) -> int:
    """A perfect reference's score for `target`, the 100% of the percentage shown."""
    w = world.weights
    total = 2 * (w.availability + w.nps) + (2 * w.text if with_text else 0)
    for _label, attribute, _have, weight, _close in CRITERIA:
        if getattr(target, attribute):
            total += 2 * getattr(w, weight)
    return total or 1


def facet_values(world: World, filters: Filters) -> dict[str, list[tuple[str, int, bool]]]:
    """Every facet's (value, count, selected), in the order the page lists them."""
    facets = {}
    for spec in FACETS:
        counts = Counter()
        for reference in matching(world, filters, skip=spec.key):
            counts.update(str(v) for v in reference.facet_values(spec.key))
        selected = {str(v) for v in getattr(filters, spec.key)}
        values = set(counts) | selected
        if spec.taxonomy:
            position = {str(pk): i for i, pk in enumerate(world.order[spec.taxonomy])}
            ordered = sorted(values, key=lambda v, p=position: (p.get(v, len(p)), v))
        else:
            ordered = sorted(values, key=lambda v: (-counts[v], v))
        facets[spec.key] = [(v, counts[v], v in selected) for v in ordered]
    return facets


def relaxations(world: World, filters: Filters) -> list[tuple[str, str, int]]:
    """For an empty result: how many there would be without each single criterion."""
    found = []
    for spec in filters.active_facets():
        found.append((spec.key, spec.label, len(matching(world, filters.without(spec.key)))))
    if filters.q:
        found.append(("q", f"the words “{filters.q}”", len(matching(world, filters.without("q")))))
    return sorted((r for r in found if r[2]), key=lambda r: (-r[2], r[1]))


def expected_search(world: World, filters: Filters, target: Target) -> Expected:
    """The whole answer for one search: every result in order, the total, facets, relaxations."""
    target = completed(world, target)
    ranked = sorted(
        (rank(world, reference, target, filters.q) for reference in matching(world, filters)),
        key=lambda r: r.key,
    )
    expected = Expected(
        ranked=ranked,
        total=len(ranked),
        facets=facet_values(world, filters),
        best_score=best_score(world, target, with_text=bool(filters.q)),
    )
    if not ranked and (filters.active_facets() or filters.q):
        expected.relaxations = relaxations(world, filters)
    return expected
