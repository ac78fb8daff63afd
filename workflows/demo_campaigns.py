"""Demo data for marketing: campaign requests in several statuses and planned events (upcoming
with sign-ups, one held and waiting to be recorded, one recorded). Called at the end of
workflows.demo's seed; everything goes through the services, dates from `ctx.now`."""

from datetime import timedelta

from core.demo_pipeline import DemoContext
from core.errors import DomainError
from limits.services import limit_check
from references.models import ActivityType, Contact, Opportunity
from references.statuses import ReferenceStatus
from workflows.models import PlannedEvent
from workflows.planned_events import event_signup, planned_event_create, planned_event_record
from workflows.services import request_cancel, request_submit, request_transition

# (campaign, activity type code, the actions the manager takes after submission)
CAMPAIGNS = [
    ("Spring launch press tour", "press_interview", ()),
    ("Analyst day with Gartner", "analyst_briefing", ("claim",)),
    ("Customer keynote at the summit", "speaking_slot", ("claim", "approve")),
    ("Peer review drive", "online_review", ("cancel",)),
]
# (title, type code, days from now, capacity, record it)
EVENTS = [
    ("Group call: modernising payments", "group_reference_call", 6, 6, False),
    ("Webinar: analytics in retail", "webinar", 12, 20, False),
    ("Customer council: roadmap", "customer_council", -2, 10, False),
    ("User group: observability", "user_group_session", -9, 15, True),
]


# Who will speak at a planned event: those willing to do it, or to speak or network with peers.
SPEAKING = ("speaking_slot", "peer_networking", "reference_call")


def _contacts(code: ActivityType, on_date, count: int, exclude: set[int], willing=()) -> list[Contact]:
    """Offerable contacts willing to do `code` (or one of `willing`) whom the limits allow on
    `on_date`, one per account."""
    pool = (
        Contact.objects.offerable()
        .filter(
            status=ReferenceStatus.ACTIVE,
            preferences__activity_types__code__in=[code.code, *willing],
        )
        .distinct()
        .exclude(pk__in=exclude)
        .select_related("account")
        .order_by("id")[:200]
    )
    chosen, accounts = [], set()
    for contact in pool:
        if contact.account_id in accounts:
            continue
        if limit_check(contact=contact, activity_type=code, on_date=on_date).ok:
            chosen.append(contact)
            accounts.add(contact.account_id)
        if len(chosen) == count:
            break
    return chosen


def _campaign_requests(ctx: DemoContext, used: set[int]) -> int:
    marketing, manager = ctx.users["marketing"], ctx.users["manager"]
    made = 0
    for name, code, actions in CAMPAIGNS:
        activity_type = ActivityType.objects.filter(code=code).first()
        contacts = _contacts(activity_type, ctx.today, 2, used) if activity_type else []
        if not contacts:
            continue
        used.update(c.pk for c in contacts)
        try:
            request = request_submit(
                requester=marketing,
                campaign=name,
                activity_type=activity_type,
                contacts=[c.pk for c in contacts],
                needed_by=ctx.today + timedelta(days=ctx.rng.randint(14, 45)),
                notes="For the campaign plan; a senior voice is best.",
            )
            for action in actions:
                if action == "cancel":
                    request_cancel(request=request, actor=marketing, reason="The campaign was postponed.")
                else:
                    extra = {"contact": contacts[0].pk} if action == "approve" else {}
                    request_transition(request_id=request.pk, action=action, actor=manager, **extra)
        except DomainError as error:
            ctx.log(f"  workflows: campaign request “{name}” stopped: {error.message}")
            continue
        made += 1
    return made


def _planned_events(ctx: DemoContext, used: set[int]) -> int:
    marketing = ctx.users["marketing"]
    reps = [ctx.users[name] for name in ("sales", "sales2") if name in ctx.users]
    made = 0
    for title, code, days, capacity, record in EVENTS:
        activity_type = ActivityType.objects.filter(code=code).first()
        start = ctx.now + timedelta(days=max(days, 1))
        speakers = (
            _contacts(activity_type, ctx.today + timedelta(days=max(days, 1)), 2, used, SPEAKING)
            if activity_type
            else []
        )
        if not speakers:
            ctx.log(f"  workflows: skipped the planned event “{title}”: no speaker the limits allow")
            continue
        used.update(s.pk for s in speakers)
        try:
            planned = planned_event_create(
                actor=marketing,
                title=title,
                activity_type=activity_type,
                starts_at=start.replace(minute=0, second=0, microsecond=0),
                capacity=capacity,
                speaker_ids=[s.pk for s in speakers],
                notes="Prospects hear several customers at once.",
            )
            for rep in reps:
                deals = Opportunity.objects.filter(owner=rep, outcome=Opportunity.Outcome.OPEN).order_by(
                    "id"
                )[:2]
                for deal in deals:
                    event_signup(planned_event_id=planned.pk, opportunity=deal, actor=rep)
            if days < 0:
                PlannedEvent.objects.filter(pk=planned.pk).update(starts_at=ctx.now + timedelta(days=days))
            if record:
                planned_event_record(
                    planned_event_id=planned.pk,
                    actor=marketing,
                    attended_signup_ids=list(planned.signups.values_list("pk", flat=True))[:-1],
                    speaker_ids=[s.pk for s in speakers],
                    feedback="Good turnout; the prospects asked about migration.",
                )
        except DomainError as error:
            ctx.log(f"  workflows: planned event “{title}” stopped: {error.message}")
            continue
        made += 1
    return made


def seed(ctx: DemoContext) -> None:
    if "marketing" not in ctx.users or "manager" not in ctx.users:
        return
    used: set[int] = set()
    requests = _campaign_requests(ctx, used)
    events = _planned_events(ctx, used)
    ctx.log(f"  workflows: {requests} campaign requests, {events} planned events")
