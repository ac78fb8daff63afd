"""Demo data for the workflows: a living program on `make run`.

Requests in every workflow state, each moved there through the real transition service (so the
history rows, tasks and notices are the ones the app writes), then spread back over the past weeks
so the timelines read naturally and some tasks are overdue; unanswered owner approvals escalated;
approvals waiting for the demo reps `sales` and `sales2`; a past group call serving several deals.
Runs after the catalogue's seeder (references.demo), drawing from `ctx.rng`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from core.demo_pipeline import DemoContext
from core.errors import DomainError
from limits.services import limit_check
from references.models import ActivityType, Contact, Opportunity
from references.statuses import ReferenceStatus
from requests_app.models import ReferenceRequest, RequestCandidate, RequestEvent, RequestFeedback
from requests_app.statuses import RequestStatus as S
from workflows.calendar import calendar_for
from workflows.demo_history import seed_history
from workflows.demo_nominations import seed_nominations
from workflows.events import event_record
from workflows.models import Event, EventNotice, Task
from workflows.reminders import task_reminders
from workflows.services import open_workflow_tasks, request_transition
from workflows.sweep import approvals_escalate, tasks_mark_overdue
from workflows.transitions import USUAL_PATH

NOTES = {
    "ask_info": "Which product line is the prospect evaluating, and who will be on the call?",
    "provide_info": "Analytics Cloud; their CIO and the head of data.",
    "owner_approve": "Fine — they are happy with us right now.",
    "decline": "We have no reference in this industry who fits; try a case study instead.",
    "cancel": "The prospect paused the evaluation.",
    "record_activity": "Good call; the prospect asked about migration effort.",
}


@dataclass
class Plan:
    """One demo request: where it ends, who asked, how long ago it last moved."""

    status: str
    requester: str
    code: str = "reference_call"
    owner: str | None = None  # the demo rep whose account is asked (for their approvals)
    age_days: float = 1.0  # since the last move
    span_days: float = 4.0  # from submission to the last move


PLANS = [
    Plan(S.SUBMITTED, "sales", age_days=0.2, span_days=0),
    Plan(S.SUBMITTED, "sales2", code="case_study", age_days=0.5, span_days=0),
    Plan(S.SUBMITTED, "rep", age_days=3, span_days=0),  # its triage is overdue
    Plan(S.SUBMITTED, "rep", code="site_visit", age_days=1, span_days=0),
    Plan(S.IN_REVIEW, "sales", age_days=1),
    Plan(S.IN_REVIEW, "rep", code="press_interview", age_days=6),  # overdue review
    Plan(S.NEEDS_INFO, "sales", age_days=1),
    Plan(S.NEEDS_INFO, "sales2", age_days=4),
    Plan(S.AWAITING_OWNER, "rep", owner="sales", age_days=0.3),
    Plan(S.AWAITING_OWNER, "rep", owner="sales", code="case_study", age_days=1),
    Plan(S.AWAITING_OWNER, "sales2", owner="sales", age_days=0.5),
    Plan(S.AWAITING_OWNER, "rep", owner="sales2", age_days=0.4),
    Plan(S.AWAITING_OWNER, "sales", owner="sales2", age_days=1.2),
    Plan(S.AWAITING_OWNER, "rep", age_days=6),  # escalated to the managers
    Plan(S.AWAITING_OWNER, "sales", age_days=8),  # escalated to the managers
    Plan(S.CUSTOMER_ASKED, "sales", age_days=1),
    Plan(S.CUSTOMER_ASKED, "sales2", age_days=5),
    Plan(S.SCHEDULED, "sales", age_days=2),
    Plan(S.SCHEDULED, "sales2", code="case_study", age_days=3),
    Plan(S.SCHEDULED, "rep", age_days=1),
    Plan(S.COMPLETED, "sales", age_days=2, span_days=10),
    Plan(S.COMPLETED, "sales2", age_days=4, span_days=12),
    Plan(S.CLOSED, "sales", age_days=20, span_days=15),
    Plan(S.CLOSED, "sales2", age_days=35, span_days=12),
    Plan(S.CLOSED, "rep", age_days=50, span_days=20),
    Plan(S.DECLINED, "sales", age_days=9),
    Plan(S.DECLINED, "rep", age_days=15),
    Plan(S.CANCELLED, "sales2", age_days=6, span_days=1),
    Plan(S.CANCELLED, "rep", age_days=12, span_days=2),
    Plan(S.EXPIRED, "sales", age_days=3, span_days=20),
    Plan(S.EXPIRED, "rep", age_days=10, span_days=25),
]
EVENT_REQUESTS = 3  # requests served by the past group call


class WorkflowDemo:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = ctx.now
        self.manager = ctx.users["manager"]
        self.types = {t.code: t for t in ActivityType.objects.all()}
        self.reps = list(User.objects.filter(pk__in=list(ctx.shared.get("demo_rep_ids", []))[:30]))
        self.used_contacts: set[int] = set()
        self.used_accounts: set[int] = set()
        self.made = 0

    # --- choosing people and deals ---------------------------------------------------------

    def requester(self, name: str) -> User:
        if name == "rep" and self.reps:
            return self.rng.choice(self.reps)
        return self.ctx.users["sales" if name == "rep" else name]

    def opportunity(self, requester: User, needed_by: date) -> Opportunity | None:
        """One of the requester's open deals that closes on or after `needed_by`."""
        deals = list(
            Opportunity.objects.filter(
                owner=requester, outcome=Opportunity.Outcome.OPEN, close_date__gte=needed_by
            ).order_by("id")[:40]
        )
        return self.rng.choice(deals) if deals else None

    def contacts(self, code: str, owner: str | None, count: int) -> list[Contact]:
        """Offerable contacts willing to do `code` whom the burnout limits allow today, one per
        account; the first one from an account no other demo request has chosen."""
        since = self.ctx.today - timedelta(days=120)
        pool = (
            Contact.objects.offerable()
            .filter(
                status=ReferenceStatus.ACTIVE,
                preferences__activity_types=self.types[code],
                account__open_escalations=0,
            )
            .exclude(pk__in=self.used_contacts)
            .exclude(activities__occurred_on__gte=since)
            .exclude(account__renewal_date__range=(self.ctx.today, self.ctx.today + timedelta(days=45)))
            .select_related("account")
        )
        if owner:
            pool = pool.filter(account__owner=self.ctx.users[owner])
        else:
            pool = pool.exclude(account__owner__in=[self.ctx.users["sales"], self.ctx.users["sales2"]])
        candidates = list(pool.order_by("id")[: count * 60])
        self.rng.shuffle(candidates)
        chosen, accounts = [], set()
        for contact in candidates:
            if contact.account_id in accounts or (not chosen and contact.account_id in self.used_accounts):
                continue
            if limit_check(contact=contact, activity_type=self.types[code], on_date=self.ctx.today).ok:
                chosen.append(contact)
                accounts.add(contact.account_id)
            if len(chosen) == count:
                break
        return chosen

    # --- making one request ----------------------------------------------------------------

    def make(self, plan: Plan) -> ReferenceRequest | None:
        requester = self.requester(plan.requester)
        # Needed soon, after the call a scheduled request has (within 12 days); a finished one was
        # needed by the day it moved last.
        needed_by = self.ctx.today + timedelta(days=self.rng.randint(14, 40))
        if plan.status in (S.EXPIRED, S.COMPLETED, S.CLOSED):
            needed_by = self.ctx.today - timedelta(days=max(1, int(plan.age_days)))
        opportunity = self.opportunity(requester, needed_by)
        contacts = self.contacts(plan.code, plan.owner, 3)
        if opportunity is None or not contacts:
            why = "no open deal" if opportunity is None else "no contact the limits allow"
            self.ctx.log(f"  workflows: skipped a {plan.status} request for {requester.username}: {why}")
            return None
        # Only the first choice is reserved: other candidates may be proposed again (collisions).
        self.used_contacts.add(contacts[0].pk)
        self.used_accounts.add(contacts[0].account_id)
        request = ReferenceRequest.objects.create(
            requester=requester,
            opportunity=opportunity,
            activity_type=self.types[plan.code],
            needed_by=needed_by,
            notes=self.rng.choice(
                ["Late-stage deal; the CFO wants to hear from a peer.", "Competitive bake-off.", ""]
            ),
        )
        # Made when its story starts (spread_history settles the exact times), so an activity the
        # story records on a past day is not older than the request it serves.
        submitted = self.now - timedelta(days=plan.age_days + plan.span_days + 1)
        ReferenceRequest.objects.filter(pk=request.pk).update(created_at=submitted)
        RequestCandidate.objects.bulk_create(
            RequestCandidate(request=request, contact=c, preference=i)
            for i, c in enumerate(contacts, start=1)
        )
        RequestEvent.objects.create(request=request, actor=requester, action="submit", to_status=S.SUBMITTED)
        open_workflow_tasks(request=request, actor=requester)
        try:
            self.drive(request, plan, contacts[0])
        except DomainError as error:
            self.ctx.log(
                f"  workflows: request #{request.pk} stopped short of {plan.status}: {error.message}"
            )
        self.spread_history(request, plan)
        self.made += 1
        return request

    def drive(self, request: ReferenceRequest, plan: Plan, contact: Contact) -> None:
        occurred_on = self.ctx.today - timedelta(days=max(1, int(plan.age_days)))
        for action in USUAL_PATH[plan.status]:
            actor = self.manager
            payload: dict = {"note": NOTES.get(action, "")}
            if action == "approve":
                payload["contact"] = contact.pk
            elif action == "owner_approve":
                actor = contact.account.owner
            elif action == "schedule":
                day = self.ctx.today + timedelta(days=self.rng.randint(2, 12))
                payload["scheduled_for"] = timezone.make_aware(datetime.combine(day, time(15)))
            elif action == "record_activity":
                payload.update(occurred_on=occurred_on, duration_minutes=self.rng.choice([30, 45, 60]))
            elif action in ("cancel", "close"):
                actor = request.requester
            elif action == "expire":
                actor = None
            if action == "close":
                RequestFeedback.objects.create(
                    request=request,
                    took_place=True,
                    helpfulness=self.rng.randint(3, 5),
                    would_use_again=True,
                    outcome_note="The prospect moved to the proposal stage.",
                    submitted_by=request.requester,
                )
            request_transition(request_id=request.pk, action=action, actor=actor, **payload)
        if plan.status in (S.COMPLETED, S.CLOSED):
            moment = datetime.combine(occurred_on, datetime.min.time(), tzinfo=self.now.tzinfo)
            ReferenceRequest.objects.filter(pk=request.pk).update(scheduled_for=moment + timedelta(hours=15))

    # --- making the history look lived -----------------------------------------------------

    def spread_history(self, request: ReferenceRequest, plan: Plan) -> None:
        """Move the request's timeline from "just now" to `span_days` ending `age_days` ago."""
        events = list(request.events.order_by("created_at", "id"))
        end = self.now - timedelta(days=plan.age_days)
        start = end - timedelta(days=plan.span_days)
        step = (end - start) / max(len(events) - 1, 1)
        moved = [(e.created_at, start + step * i - e.created_at) for i, e in enumerate(events)]

        def shift(moment):
            return moment + min(moved, key=lambda pair: abs(pair[0] - moment))[1]

        for event in events:
            event.created_at = shift(event.created_at)
        RequestEvent.objects.bulk_update(events, ["created_at"])
        for notice in EventNotice.objects.filter(event__request=request):
            EventNotice.objects.filter(pk=notice.pk).update(created_at=shift(notice.created_at))
        tasks = list(request.tasks.select_related("step", "assignee"))
        for task in tasks:
            task.created_at = shift(task.created_at)
            if task.completed_at:
                task.completed_at = shift(task.completed_at)
            if task.step and task.status == Task.Status.OPEN and task.step.request_status != S.SCHEDULED:
                task.due_at = calendar_for(task.assignee).add(
                    task.created_at, task.step.sla_amount, task.step.sla_unit
                )
        Task.objects.bulk_update(tasks, ["created_at", "completed_at", "due_at"])
        ReferenceRequest.objects.filter(pk=request.pk).update(
            created_at=events[0].created_at, status_changed_at=events[-1].created_at
        )

    def past_event(self) -> None:
        """A group reference call two weeks ago that served several deals."""
        served = [
            self.make(Plan("scheduled", rep, age_days=16, span_days=6)) for rep in ("sales", "sales2", "rep")
        ]
        served = list(
            ReferenceRequest.objects.filter(
                pk__in=[r.pk for r in served if r is not None],
                status=S.SCHEDULED,
                chosen_contact__isnull=False,
            )
        )
        if len(served) < 2:
            return
        speakers = [served[0].chosen_contact_id, served[1].chosen_contact_id][: EVENT_REQUESTS - 1]
        try:
            event = event_record(
                actor=self.manager,
                title="Financial services customer round table",
                activity_type=self.types["reference_call"],
                occurred_on=self.ctx.today - timedelta(days=14),
                duration_minutes=60,
                speaker_ids=speakers,
                request_ids=[r.pk for r in served],
                notes="Two customers answered questions from three prospects' evaluation teams.",
            )
        except DomainError as error:
            self.ctx.log(f"  workflows: the demo event was not recorded: {error.message}")
            return
        for request in served:
            self.spread_history(request, Plan("completed", "rep", age_days=13, span_days=8))
        Event.objects.filter(pk=event.pk).update(created_at=self.now - timedelta(days=13))

    def offer_times(self) -> None:
        """The newest ask is answered in the portal with three times (the manager picks one)."""
        ask = ReferenceRequest.objects.filter(status=S.CUSTOMER_ASKED, chosen_contact__isnull=False).last()
        if ask is None:
            return
        first = timezone.make_aware(datetime.combine(self.ctx.today + timedelta(days=3), time(10)))
        slots = [(first + timedelta(days=i), 45) for i in range(3)]
        customer = ask.chosen_contact
        request_transition(request_id=ask.pk, action="accept_ask", actor=None, customer=customer, slots=slots)

    def run(self) -> None:
        for plan in PLANS:
            self.make(plan)
        self.past_event()
        self.offer_times()
        overdue = tasks_mark_overdue(now=self.now)
        escalated = approvals_escalate(now=self.now)
        self.ctx.log(
            f"  workflows: {self.made} requests, {overdue} overdue tasks, {escalated} escalated approvals"
        )


def seed(ctx: DemoContext) -> None:
    """Seed requests across every workflow state (see the module docstring)."""
    seed_history(ctx)
    if "manager" not in ctx.users or not ActivityType.objects.exists():
        return
    WorkflowDemo(ctx).run()
    reminders = task_reminders(now=ctx.now)
    ctx.log(f"  workflows: {reminders} task reminders")
    seed_nominations(ctx)
