"""The columns each exported list writes: what its page shows, as plain values. Each function
takes the rows the page's own selector returned (fully loaded) and yields one list per row, so
an export runs the page's queries, not one per row. No sheet has a contact's email or phone."""

from collections.abc import Iterable, Iterator

HEADERS = {
    "search": [
        "Contact", "Title", "Account", "Industry", "Region", "Country", "Size band", "Persona",
        "Language", "Products", "Activity types", "Score %", "Resting", "Available from",
        "Last activity", "Customer since",
    ],
    "requests": [
        "Request", "Status", "Activity", "Needed by", "Deal", "Amount", "Currency", "Campaign",
        "Requester", "Manager", "Chosen contact", "Account", "Created",
    ],
    "activities": [
        "Date", "Activity", "Contact", "Account", "Duration (minutes)", "Deals", "Recorded by", "Notes",
    ],
    "nominations": [
        "Nomination", "Person", "Title", "Account", "Company as typed", "Industry", "Region", "Source",
        "Nominated by", "Status", "Owner consent", "Since",
    ],
}  # fmt: skip


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def search_rows(cards: Iterable) -> Iterator[list]:
    """Reference cards of the sales search (matching.cards.ReferenceCard: no email or phone)."""
    for c in cards:
        yield [
            c.name, c.title, c.account_name, c.industry, c.region, c.country, c.size_band, c.persona,
            c.language, "; ".join(c.products), "; ".join(name for _id, name in c.activity_types),
            c.score_percent, "yes" if c.resting else "no", c.available_from, c.last_activity_on,
            c.customer_since,
        ]  # fmt: skip


def request_rows(requests: Iterable) -> Iterator[list]:
    """Reference requests as the rep's list or the manager's inbox loaded them."""
    for r in requests:
        deal, chosen = r.opportunity, r.chosen_contact
        yield [
            r.pk, r.get_status_display(), r.activity_type.name, r.needed_by,
            deal.prospect_name if deal else "", deal.amount if deal else None, deal.currency if deal else "",
            r.campaign, _person(r.requester), _person(r.assigned_manager),
            chosen.full_name if chosen else "", chosen.account.name if chosen else "", r.created_at,
        ]  # fmt: skip


def activity_rows(activities: Iterable) -> Iterator[list]:
    """Reference activities, with contact, account, type, deals and recorder loaded."""
    for a in activities:
        deals = "; ".join(deal.prospect_name for deal in a.opportunities.all())
        yield [
            a.occurred_on, a.activity_type.name, a.contact.full_name, a.account.name, a.duration_minutes,
            deals, _person(a.recorded_by), a.notes,
        ]  # fmt: skip


def nomination_rows(nominations: Iterable) -> Iterator[list]:
    """Nominations as the manager's queue loaded them."""
    for n in nominations:
        account = n.account
        yield [
            n.pk, n.person_name, n.contact_title, account.name if account else "", n.company_name,
            account.industry.name if account else "", account.country.region.name if account else "",
            n.get_source_display(), _person(n.nominated_by), n.get_status_display(),
            n.get_owner_consent_display() if n.owner_consent else "", n.created_at,
        ]  # fmt: skip
