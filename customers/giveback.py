"""Give-back: what the program gave each contact, and what it asked of them.

A reference manager records a give-back (`giveback_record`) or removes one recorded by mistake
(`giveback_remove`). Recording tells nobody by email: the entry appears in the customer's portal
history (kind, day and the message written for them), which is where they look for what the
program did for them; whoever gave the seat or the slot has already spoken to them.

**Asks** of a contact in a window are what the program took of their time there:
- the activities they did (`ReferenceActivity.occurred_on` in the window), and
- the requests that reached them and have no activity recorded yet: chosen contact, status
  `CUSTOMER_ASKED` or later (`APPROVED_STATUSES`), which moved there in the window. A request
  whose activity is recorded counts once, as its activity.
**Given** is their give-back in the same window. The program's list ranks contacts by **asks
minus given** (the asks no give-back has answered yet), then by asks: a difference, not a ratio,
because a ratio ranks one ask with nothing given like ten with nothing given. Both are computed by
the database for every contact at once (`balances`), so a page costs the same with ten contacts
or a hundred thousand.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.dates import OUT_OF_RANGE, in_range
from core.errors import InvalidInput, NotAllowed
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from customers.models import GiveBack
from customers.statuses import GiveBackKind
from references.models import Contact, ReferenceActivity
from references.statuses import ReferenceStatus
from references.visibility import runs_the_program
from requests_app.models import ReferenceRequest
from requests_app.statuses import APPROVED_STATUSES

# The windows the program's list offers, in months; the portal and the contact page use the default.
WINDOWS = (3, 6, 12, 24)
DEFAULT_WINDOW = 12
# "Asked a lot": the fewest asks in the window for a contact to be listed, unless the page says
# otherwise. The manager's home counts the contacts listed with these defaults (`owed_count`).
DEFAULT_MIN_ASKS = 2


# --- writes ---------------------------------------------------------------------------------


def _refuse_unless_manager(actor) -> None:
    if not runs_the_program(actor):
        raise NotAllowed("Only a reference manager records what the program gives back.")


def _checked_text(value: str, limit: int, field: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        message = f"Ensure this value has at most {limit} characters (it has {len(text)})."
        raise InvalidInput(message, field=field)
    return text


@transaction.atomic
def giveback_record(
    *,
    contact: Contact,
    kind: str,
    given_on: date,
    actor,
    note: str = "",
    message: str = "",
    request: ReferenceRequest | None = None,
) -> GiveBack:
    """Record that the program gave `contact` a `kind` on `given_on` (today or earlier),
    optionally thanking them for `request`, one of their own. Reference managers only."""
    _refuse_unless_manager(actor)
    if kind not in GiveBackKind.values:
        raise InvalidInput("Choose what the program gave from the list.", field="kind")
    if not isinstance(given_on, date) or not in_range(given_on):
        raise InvalidInput(OUT_OF_RANGE, field="given_on")
    if given_on > timezone.localdate():
        raise InvalidInput("A give-back is recorded once given: not in the future.", field="given_on")
    if request is not None and request.chosen_contact_id != contact.pk:
        raise InvalidInput("Choose one of this contact's own requests.", field="request")
    return GiveBack.objects.create(
        contact=contact,
        kind=kind,
        given_on=given_on,
        note=_checked_text(note, NOTE_MAX_LENGTH, "note"),
        message=_checked_text(message, REASON_MAX_LENGTH, "message"),
        request=request,
        recorded_by=actor,
    )


@transaction.atomic
def giveback_remove(*, give_back: GiveBack, actor) -> None:
    """Remove a give-back recorded by mistake (it leaves the customer's history too)."""
    _refuse_unless_manager(actor)
    GiveBack.objects.filter(pk=give_back.pk).delete()


# --- reads ----------------------------------------------------------------------------------


def window_start(months: int, today: date | None = None) -> date:
    """The first day of a window of `months` ending today (the same day `months` months ago,
    or the month's last day when that month is shorter)."""
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in range(today.day, 0, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # day 28 exists in every month


def _count(rows: QuerySet, key: str) -> Coalesce:
    """A correlated COUNT of `rows` per contact (`key` = the contact's column), 0 when none."""
    counted = rows.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def rows_between(since: date, until: date) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The rows counted from `since` to `until` (both included): activities done, requests that
    reached the customer without an activity yet, give-back. (The insights pages read any range.)"""
    zone = timezone.get_current_timezone()
    since_moment = datetime.combine(since, time.min, tzinfo=zone)
    until_moment = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    activities = ReferenceActivity.objects.filter(occurred_on__gte=since, occurred_on__lte=until)
    in_flight = ReferenceRequest.objects.filter(
        status__in=APPROVED_STATUSES,
        served_by__isnull=True,
        status_changed_at__gte=since_moment,
        status_changed_at__lt=until_moment,
    )
    given = GiveBack.objects.filter(given_on__gte=since, given_on__lte=until)
    return activities, in_flight, given


def _window(months: int, today: date | None) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The rows counted in a window of `months` ending today."""
    today = today or timezone.localdate()
    return rows_between(window_start(months, today), today)


def balances_between(contacts: QuerySet[Contact], since: date, until: date):
    """`contacts` annotated with `activities_done`, `in_flight`, `asks` (their sum), `given` and
    `owed` (asks minus given) from `since` to `until`: one query, the counts as correlated
    subqueries the database runs per contact."""
    activities, in_flight, given = rows_between(since, until)
    return contacts.annotate(
        activities_done=_count(activities, "contact"),
        in_flight=_count(in_flight, "chosen_contact"),
        given=_count(given, "contact"),
    ).annotate(
        asks=F("activities_done") + F("in_flight"), owed=F("activities_done") + F("in_flight") - F("given")
    )


def balances(contacts: QuerySet[Contact], *, months: int = DEFAULT_WINDOW, today: date | None = None):
    """`balances_between` over the window of `months` ending today."""
    today = today or timezone.localdate()
    return balances_between(contacts, window_start(months, today), today)


def asked_much_given_little(
    user, *, months: int = DEFAULT_WINDOW, min_asks: int = DEFAULT_MIN_ASKS, today: date | None = None
) -> QuerySet[Contact]:
    """The program's list: contacts (not retired) asked at least `min_asks` times in the window
    and more often than the program gave back, most owed first (then most asked, then by name),
    with their account. Reference managers see every contact; anyone else nobody."""
    contacts = Contact.objects.visible_to(user).exclude(status=ReferenceStatus.RETIRED)
    if not runs_the_program(user):  # a rep sees contacts' rows, not what the program owes them
        contacts = contacts.none()
    # Only contacts asked at least once in the window can be listed: the database counts for
    # them, not for every contact of the catalogue (measured in the issue 16 note).
    activities, in_flight, _given = _window(months, today)
    contacts = contacts.filter(
        Q(pk__in=activities.values("contact")) | Q(pk__in=in_flight.values("chosen_contact"))
    )
    return (
        balances(contacts.select_related("account"), months=months, today=today)
        .filter(asks__gte=max(min_asks, 1), owed__gt=0)
        .order_by("-owed", "-asks", "last_name", "first_name", "id")
    )


def owed_count(user) -> int:
    """How many contacts the program's list shows with its defaults (the manager's home links
    `manage:give-back` with it). One query."""
    return asked_much_given_little(user).count()


@dataclass(frozen=True)
class Balance:
    """One contact's asks against give-back in a window of `months`."""

    months: int
    activities: int
    in_flight: int
    given: int

    @property
    def asks(self) -> int:
        return self.activities + self.in_flight


def balance_of(contact: Contact, *, months: int = DEFAULT_WINDOW) -> Balance:
    """The same counts as the program's list, for one contact (one query)."""
    row = balances(Contact.objects.filter(pk=contact.pk), months=months).values(
        "activities_done", "in_flight", "given"
    )
    counts = row.first() or {"activities_done": 0, "in_flight": 0, "given": 0}
    return Balance(
        months=months,
        activities=counts["activities_done"],
        in_flight=counts["in_flight"],
        given=counts["given"],
    )


def give_backs_of(contact: Contact) -> QuerySet[GiveBack]:
    """The contact's give-back, newest first, with who recorded it and the request it thanks
    for (one query)."""
    return (
        GiveBack.objects.filter(contact=contact)
        .select_related("recorded_by", "request__activity_type")
        .order_by("-given_on", "-id")
    )


def own_requests(contact: Contact) -> QuerySet[ReferenceRequest]:
    """The requests a give-back may thank the contact for: those they were chosen for and that
    reached them."""
    return (
        ReferenceRequest.objects.filter(chosen_contact=contact, status__in=APPROVED_STATUSES)
        .select_related("activity_type")
        .order_by("-status_changed_at", "-id")
    )


# The most give-back rows the customer's history shows (newest first); a contact has a handful.
PORTAL_SHOWN = 50


def shared_give_backs(contact: Contact) -> QuerySet[GiveBack]:
    """What the customer's portal shows of their give-back: kind, day and the message written
    for them (never the program's note), newest first (one query)."""
    return (
        GiveBack.objects.filter(contact=contact)
        .only("id", "contact_id", "kind", "given_on", "message")
        .order_by("-given_on", "-id")[:PORTAL_SHOWN]
    )
