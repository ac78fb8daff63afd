"""A generated catalogue of references and random searches over it, from a seeded `random.Random`.

The catalogue mixes what search must tell apart: several industries, countries in every region,
size bands, personas, languages, products, use cases, competitors and activity types; resting
contacts and accounts (some rested by the limits job itself after their activities); contacts
with their own caps (0 included); NPS from none to 10; accounts with two contacts; and contacts
that may not be offered (opted out, self-paused, retired, at accounts at risk or paused, without
preferences). Stories and names come from a small word list, so words repeat, with stemming
variants and stop words.
"""

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.utils import timezone

from matching.filters import Filters
from matching.scoring import Target
from matching.selectors import target_for_opportunity, target_from_filters
from matching.text import STOP_WORDS
from references.models import (
    ActivityType,
    Competitor,
    Contact,
    Country,
    Industry,
    Opportunity,
    Persona,
    Product,
    SizeBand,
    UseCase,
)
from references.statuses import ReferenceStatus
from tests.builders import catalogue as factories
from tests.builders.search import index, make_reference

INDUSTRIES = ("52", "31", "51", "44", "54")
COUNTRIES = ("US", "CA", "DE", "FR", "GB", "JP", "BR")
LANGUAGES = ("en", "en", "de", "fr", "ja")
PERSONAS = ("executive", "technical", "end_user")
ACTIVITY_TYPES = ("reference_call", "site_visit", "case_study", "video", "online_review")
STORY_WORDS = (
    "migrate migration migrating migrated migrations analytics dashboard dashboards fraud latency "
    "warehouse warehousing compliance compliant cloud onboarding rollout savings saved scale scaling "
    "the and of with for to a in our"
).split()
NAME_WORDS = ("Northwind", "Globex", "Fraud", "Cloud", "Harbor", "Scaling", "Migration", "Summit")
NAME_ENDS = ("Bank", "Labs", "Logistics", "Retail", "Partners")
TAXONOMY_WORDS = (
    "Analytics Observability Germany Japan Finance Manufacturing modernization detection "
    "Acmetrics Bluepeak Datastrand"
).split()
# Words no document holds, and words that are only stop words.
UNMATCHED_WORDS = ("zeppelin", "quokka")
STOP_ONLY = ("the", "and of")


@dataclass
class Case:
    """One search to put to both implementations."""

    filters: Filters
    target: Target
    page_size: int
    pages: int = 3

    def __str__(self) -> str:
        facets = {s.key: getattr(self.filters, s.key) for s in self.filters.active_facets()}
        extra = {"q": self.filters.q} if self.filters.q else {}
        if self.filters.exclude_contacts:
            extra["exclude"] = self.filters.exclude_contacts
        return f"filters={facets | extra} target={self.target} page_size={self.page_size}"


@dataclass
class Generated:
    """What the random searches draw from."""

    today: date
    opportunities: list[Opportunity] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)  # facet key -> values to draw from
    words: list[str] = field(default_factory=list)
    documents: list[list[str]] = field(default_factory=list)  # each account's name and story words


def build_catalogue(rng: random.Random, owner, *, accounts: int = 60) -> Generated:
    """`accounts` accounts (a sixth with a second contact), their activities, a few deals; then
    the limits job and the index, as the periodic jobs leave them."""
    today = timezone.localdate()
    generated = Generated(today=today)
    product_names = list(Product.objects.values_list("name", flat=True))
    use_case_names = list(UseCase.objects.values_list("name", flat=True))
    competitors = list(Competitor.objects.all())
    for n in range(accounts):
        name = f"{rng.choice(NAME_WORDS)} {rng.choice(NAME_ENDS)} {n}"
        story = " ".join(rng.choice(STORY_WORDS) for _ in range(rng.randint(0, 14)))
        # The words a search may take from this account (stop words are added on purpose below).
        generated.documents.append([w for w in f"{name} {story}".split() if w not in STOP_WORDS])
        contact = make_reference(
            owner,
            name=name,
            industry=rng.choice(INDUSTRIES),
            country=rng.choice(COUNTRIES),
            size=rng.randrange(4),
            persona=rng.choice(PERSONAS),
            products=tuple(rng.sample(product_names, rng.randint(0, 3))),
            use_cases=tuple(rng.sample(use_case_names, rng.randint(0, 2))),
            activity_types=tuple(rng.sample(ACTIVITY_TYPES, rng.randint(1, 3))),
            contact_status=_contact_status(rng),
            prefs=_preferences(rng),
            story=story,
            nps=rng.choice((None, 0, 3, 6, 7, 8, 9, 10)),
            status=rng.choices(
                (ReferenceStatus.ACTIVE, ReferenceStatus.RESTING, ReferenceStatus.PAUSED),
                weights=(16, 3, 1),
            )[0],
            at_risk=rng.random() < 0.05,
        )
        Contact.objects.filter(pk=contact.pk).update(language=rng.choice(LANGUAGES))
        contact.account.competitors_displaced.set(rng.sample(competitors, rng.randint(0, 2)))
        contacts = [contact]
        if n % 6 == 0:
            contacts.append(_second_contact(rng, contact.account))
        if n % 17 == 5:  # a contact who never gave preferences: never offered
            Contact.objects.create(
                account=contact.account,
                first_name="No",
                last_name=f"Preferences{n}",
                persona=factories.persona(rng.choice(PERSONAS)),
                email=f"noprefs{n}@customer.test",
            )
        for each in contacts:
            _record_activities(rng, each, today)
        generated.contact_ids += [c.pk for c in contacts]
    for _ in range(4):
        generated.opportunities.append(
            factories.make_opportunity(
                owner,
                industry=factories.industry(rng.choice(INDUSTRIES)),
                country=factories.country(rng.choice(COUNTRIES)),
                size_band=factories.size_band(rng.randrange(4)),
                products=list(Product.objects.filter(name__in=rng.sample(product_names, rng.randint(0, 2)))),
            )
        )
    index(today)
    generated.values = _facet_values()
    # Taxonomy names count as words too: products, countries, industries, use cases, competitors.
    generated.words = [*STORY_WORDS, *NAME_WORDS, *NAME_ENDS, *TAXONOMY_WORDS]
    return generated


def _contact_status(rng: random.Random) -> str:
    return rng.choices(
        (ReferenceStatus.ACTIVE, ReferenceStatus.RESTING, ReferenceStatus.RETIRED, ReferenceStatus.CANDIDATE),
        weights=(20, 3, 1, 1),
    )[0]


def _preferences(rng: random.Random) -> dict:
    prefs = {"own_cap_per_quarter": rng.choices((None, 0, 1, 2, 3, 8), weights=(12, 1, 2, 2, 1, 1))[0]}
    roll = rng.random()
    if roll < 0.05:
        prefs |= {"opted_out": True, "opted_out_at": timezone.now()}
    elif roll < 0.09:
        prefs["paused_by_contact"] = True
    return prefs


def _second_contact(rng: random.Random, account) -> Contact:
    return factories.make_contact(
        account,
        persona=factories.persona(rng.choice(PERSONAS)),
        language=rng.choice(LANGUAGES),
        status=_contact_status(rng),
        activity_types=tuple(rng.sample(ACTIVITY_TYPES, rng.randint(0, 3))),
        prefs=_preferences(rng),
    )


def _record_activities(rng: random.Random, contact: Contact, today: date) -> None:
    """Some past activities: the limits job counts them (and may rest the contact)."""
    if rng.random() < 0.3:
        days_ago = sorted(rng.sample(range(1, 150), rng.randint(1, 5)), reverse=True)
        for days in days_ago:
            factories.make_activity(contact, today - timedelta(days=days), code=rng.choice(ACTIVITY_TYPES))


def _facet_values() -> dict[str, list]:
    """What a facet filter may pick: the generated values, and one nobody has (for empty results)."""
    return {
        "industry": list(
            Industry.objects.filter(naics_code__in=[*INDUSTRIES, "11"]).values_list("pk", flat=True)
        ),
        "product": list(Product.objects.values_list("pk", flat=True)),
        "use_case": list(UseCase.objects.values_list("pk", flat=True)),
        "competitor": list(Competitor.objects.values_list("pk", flat=True)),
        "region": sorted(set(Country.objects.filter(code__in=COUNTRIES).values_list("region_id", flat=True))),
        "country": list(Country.objects.filter(code__in=[*COUNTRIES, "NZ"]).values_list("pk", flat=True)),
        "size": list(SizeBand.objects.values_list("pk", flat=True)),
        "persona": list(Persona.objects.values_list("pk", flat=True)),
        "language": sorted({*LANGUAGES, "pt"}),
        "activity": list(ActivityType.objects.filter(code__in=ACTIVITY_TYPES).values_list("pk", flat=True)),
    }


# --- Random searches ----------------------------------------------------------------------


def random_facets(rng: random.Random, generated: Generated, *, with_words: bool = False) -> dict[str, tuple]:
    """0–3 facets with 1–2 values each (fewer with words, which narrow enough by themselves)."""
    how_many = (0, 0, 1, 1, 2) if with_words else (0, 1, 1, 2, 2, 3)
    keys = rng.sample(sorted(generated.values), rng.choice(how_many))
    return {key: tuple(sorted(rng.sample(generated.values[key], rng.randint(1, 2)))) for key in keys}


def random_words(rng: random.Random, generated: Generated) -> str:
    """1–2 words of one account's name and story, or of every document's vocabulary; sometimes
    a word nothing holds, or only stop words."""
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(UNMATCHED_WORDS)
    if roll < 0.18:
        return rng.choice(STOP_ONLY)
    source = rng.choice(generated.documents) if roll < 0.75 else generated.words
    words = rng.sample(source, min(len(source), rng.randint(1, 2)))
    if rng.random() < 0.3:
        words.append(rng.choice(("the", "of", "and")))
    return " ".join(words)


def random_target(rng: random.Random, generated: Generated, filters: Filters) -> Target:
    """No target, a deal's (with a prospect persona or not), or the filters'."""
    persona = rng.choice((None, *generated.values["persona"]))
    roll = rng.random()
    if roll < 0.3:
        return Target()
    if roll < 0.7:
        return target_for_opportunity(rng.choice(generated.opportunities), persona_id=persona)
    return target_from_filters(filters, persona_id=persona)


def random_case(rng: random.Random, generated: Generated, *, with_words: bool) -> Case:
    q = random_words(rng, generated) if with_words else ""
    filters = Filters(q=q, **random_facets(rng, generated, with_words=with_words))
    if rng.random() < 0.1:  # as rank_candidates leaves out the contacts already proposed
        filters = replace(filters, exclude_contacts=tuple(sorted(rng.sample(generated.contact_ids, 3))))
    return Case(filters=filters, target=random_target(rng, generated, filters), page_size=rng.randint(3, 20))
