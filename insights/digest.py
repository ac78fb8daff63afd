"""The monthly executive digest: the last full month's key figures against the month before, and
the program's state now against the last digest, by email to the chosen recipients.

- The month's figures are `insights.measures` (the functions the pages and goals read), for the
  calendar month and for the one before it; the "now" figures (references at a limit or near one,
  as the utilization page counts them; open requests) compare with the previous month's digest.
- A month's figures are computed once and kept (`DigestIssue`): every recipient's email, and a
  later send of the same month to a recipient added since, says the same numbers.
- It goes through the notifications outbox (`notify`, a key per month: sending twice sends once
  per recipient; delivered by the worker, surviving a dead one). The text part is the row's body;
  the HTML part is templates/emails/executive_digest.html, fed by `email_context` (registered
  with notifications from InsightsConfig.ready()). Both are written from the same `DigestView`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.links import url_or
from core.roles import Role, users_with_roles
from insights import measures, utilization
from insights.models import DigestIssue, DigestRecipient
from insights.segments import Segment
from notifications.emails import absolute, register_email_context
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.models import Notification
from notifications.services import notify
from references.models import DealOutcome
from requests_app.models import ReferenceRequest
from requests_app.statuses import OPEN_STATUSES

EXECUTIVE_DIGEST = Kind(
    "executive_digest", "Monthly executive digest (to its recipients)", default=Delivery.EMAIL
)
KEY_PREFIX = "executive-digest:"
# Who may receive it: the readers of the insights pages.
RECIPIENT_ROLES = (Role.MANAGER, Role.EXECUTIVE)


def register_kinds() -> None:
    register([EXECUTIVE_DIGEST])
    register_email_context(EXECUTIVE_DIGEST.code, email_context)


# --- Months -------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def last_full_month(today: date) -> date:
    """The first day of the calendar month before `today`'s."""
    return month_start(month_start(today) - timedelta(days=1))


def month_segment(first: date) -> Segment:
    """The whole calendar month starting on `first`, no filters."""
    following = month_start(first + timedelta(days=31))
    return Segment(first, following - timedelta(days=1))


def month_key(first: date) -> str:
    return f"{KEY_PREFIX}{first:%Y-%m}"


# --- Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One line of the digest: a value, what it compares with (None: nothing to compare with),
    whether it is money, and the page that lists what it counts."""

    code: str
    label: str
    value: Decimal
    previous: Decimal | None
    money: bool = False
    path: str = ""

    @property
    def value_text(self) -> str:
        return _amount(self.value, self.money)

    @property
    def previous_text(self) -> str:
        return "—" if self.previous is None else _amount(self.previous, self.money)

    @property
    def change(self) -> str:
        """ "+3 (+12.5%)", "−$400 (−8.0%)", "new" (from nothing), "no change", or "" (no comparison)."""
        if self.previous is None:
            return ""
        if self.previous == 0:
            return "no change" if self.value == 0 else "new"
        difference = self.value - self.previous
        if difference == 0:
            return "no change"
        sign = "+" if difference > 0 else "−"
        percent = abs(difference) * 100 / abs(self.previous)
        return f"{sign}{_amount(abs(difference), self.money)} ({sign}{percent:.1f}%)"


def _amount(value: Decimal, money: bool) -> str:
    whole = f"{value.quantize(Decimal(1)):,}"
    return f"${whole}" if money else whole


# (code, label, money?) in the digest's order: the month's, then the program now.
MONTH_FIGURES = (
    ("influenced_revenue", "Influenced revenue (USD)", True),
    ("influenced_deals", "Influenced deals won", False),
    ("requests_fulfilled", "Requests fulfilled", False),
    ("new_references", "New references recruited", False),
    ("activities_held", "Reference activities held", False),
)
NOW_FIGURES = (
    ("contacts_at_limit", "Contacts at a limit", False),
    ("contacts_near_limit", "Contacts near a limit", False),
    ("open_requests", "Open requests", False),
)
LABELS = {code: (label, money) for code, label, money in MONTH_FIGURES + NOW_FIGURES}


def month_values(segment: Segment) -> dict[str, Decimal]:
    """The month's figures, each one of `insights.measures` (so the pages say the same)."""
    revenue = measures.influenced_revenue(segment)
    return {
        "influenced_revenue": Decimal(revenue["usd"]),
        "influenced_deals": Decimal(revenue["deals"]),
        "requests_fulfilled": Decimal(measures.requests_fulfilled(segment)),
        "new_references": Decimal(measures.new_references(segment)),
        "activities_held": Decimal(measures.activities_held(segment)),
    }


def now_values() -> dict[str, Decimal]:
    # The utilization page's count (today's references, not every contact with a usage row), so
    # the digest's number is the length of the list it links to.
    usage = utilization.limit_shares(month_segment(month_start(timezone.localdate())))
    return {
        "contacts_at_limit": Decimal(usage["limited"]),
        "contacts_near_limit": Decimal(usage["near"]),
        "open_requests": Decimal(ReferenceRequest.objects.filter(status__in=OPEN_STATUSES).count()),
    }


def compute_figures(month: date) -> dict[str, list[str | None]]:
    """{code: [value, previous]} as decimal text (how an issue keeps them)."""
    current = month_values(month_segment(month))
    before = month_values(month_segment(last_full_month(month)))
    last_issue = DigestIssue.objects.filter(month__lt=month).order_by("-month").first()
    earlier = last_issue.figures if last_issue else {}
    figures = {code: [str(current[code]), str(before[code])] for code in current}
    for code, value in now_values().items():
        figures[code] = [str(value), earlier.get(code, [None])[0]]
    return figures


# --- What it says -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestView:
    """One month's digest as its emails and the preview show it."""

    month: date
    as_of: datetime
    figures: tuple[Figure, ...]

    @property
    def title(self) -> str:
        return f"Reference program, {self.month:%B %Y}"

    @property
    def previous_month(self) -> date:
        return last_full_month(self.month)

    @property
    def page_path(self) -> str:
        return f"{url_or('insights:home', '/insights/')}?{month_segment(self.month).query()}"

    @property
    def month_figures(self) -> tuple[Figure, ...]:
        return self.figures[: len(MONTH_FIGURES)]

    @property
    def now_figures(self) -> tuple[Figure, ...]:
        return self.figures[len(MONTH_FIGURES) :]

    def lines(self) -> list[str]:
        def line(figure: Figure, compared: str) -> str:
            change = f", {figure.change}" if figure.change else ""
            return f"- {figure.label}: {figure.value_text} ({compared} {figure.previous_text}{change})"

        before = f"{self.previous_month:%B}:"
        return (
            [f"{self.month:%B %Y}, against {self.previous_month:%B %Y}:"]
            + [line(figure, before) for figure in self.month_figures]
            + ["", f"The program on {self.as_of:%d %b %Y}, against the last digest:"]
            + [line(figure, "last digest:") for figure in self.now_figures]
        )

    def text(self) -> str:
        return "\n".join(self.lines()) + f"\n\nThe month on the insights page: {absolute(self.page_path)}"

    def absolute_links(self) -> list[tuple[Figure, str]]:
        return [(figure, absolute(figure.path) if figure.path else "") for figure in self.figures]


def _paths(month: date) -> dict[str, str]:
    """The list behind each figure, for the digest's month (the contract's drill-down pages; the
    insights page itself where a list is not deployed)."""
    segment = month_segment(month)
    home = url_or("insights:home", "/insights/")

    def page(name: str, **extra) -> str:
        return f"{url_or(name, home)}?{segment.query(**extra)}"

    return {
        "influenced_revenue": page("insights:deals", influenced="yes", outcome=DealOutcome.WON),
        "influenced_deals": page("insights:deals", influenced="yes", outcome=DealOutcome.WON),
        "requests_fulfilled": page("insights:requests", reached="completed"),
        "new_references": page("insights:contacts", which="recruited"),
        "activities_held": f"{url_or('insights:section', home, 'utilization')}?{segment.query()}",
        "contacts_at_limit": page("insights:contacts", which="at_limit"),
        "contacts_near_limit": page("insights:contacts", which="near_limit"),
        "open_requests": f"{url_or('insights:section', home, 'fulfilment')}?{segment.query()}",
    }


def digest_view(month: date, figures: dict, as_of: datetime) -> DigestView:
    paths = _paths(month)

    def decimal(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return DigestView(
        month=month,
        as_of=as_of,
        figures=tuple(
            Figure(code, label, Decimal(figures[code][0]), decimal(figures[code][1]), money, paths[code])
            for code, (label, money) in LABELS.items()
        ),
    )


def digest_preview(month: date) -> DigestView:
    """The month's digest: as it was sent when it was, else as it would be sent now."""
    issue = DigestIssue.objects.filter(month=month).first()
    if issue is not None:
        return digest_view(month, issue.figures, issue.written_at)
    return digest_view(month, compute_figures(month), timezone.now())


# --- Sending ------------------------------------------------------------------------------------


def digest_recipients():
    """The recipients who may still read program figures (a manager or an executive)."""
    return users_with_roles(*RECIPIENT_ROLES).filter(pk__in=DigestRecipient.objects.values("user_id"))


def digest_send(*, month: date | None = None) -> int:
    """Write `month`'s digest (the last full month by default) to every recipient who has not had
    it: its figures computed once (the issue), a notification per recipient under the month's
    key. Returns how many recipients it newly went to (0 when everyone had it)."""
    month = month_start(month or last_full_month(timezone.localdate()))
    key = month_key(month)
    with transaction.atomic():
        issue, _created = DigestIssue.objects.get_or_create(
            month=month, defaults={"figures": compute_figures(month), "written_at": timezone.now()}
        )
        view = digest_view(month, issue.figures, issue.written_at)
        recipients = list(digest_recipients())
        before = len(received_by(month, [user.pk for user in recipients]))
        notify(
            kind=EXECUTIVE_DIGEST.code,
            key=key,
            message=Message(view.title, view.text(), view.page_path),
            users=recipients,
        )
        return len(received_by(month, [user.pk for user in recipients])) - before


def received_by(month: date, user_ids: list[int]) -> set[int]:
    """Which of these users have had `month`'s digest written for them (on any channel)."""
    rows = Notification.objects.filter(key=month_key(month), user_id__in=user_ids)
    return set(rows.values_list("user_id", flat=True).distinct())


def email_context(notification: Notification) -> dict:
    """The HTML part's figures: the issue of the month the row's key names."""
    try:
        month = datetime.strptime(notification.key.removeprefix(KEY_PREFIX), "%Y-%m").date()
    except ValueError:
        return {}
    issue = DigestIssue.objects.filter(month=month).first()
    if issue is None:
        return {}
    return view_context(digest_view(month, issue.figures, issue.written_at))


def view_context(view: DigestView) -> dict:
    """What templates/emails/executive_digest.html reads (the emails and the page's preview)."""
    rows = view.absolute_links()
    return {
        "digest": view,
        "month_rows": rows[: len(MONTH_FIGURES)],
        "now_rows": rows[len(MONTH_FIGURES) :],
        "page_url": absolute(view.page_path),
    }
