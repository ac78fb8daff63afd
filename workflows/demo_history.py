"""Demo data for the sales portal: months of finished requests, and nominations.

Part of the workflows' seeder (`workflows.demo`), after the catalogue's (`references.demo`: the demo
reps `sales` and `sales2` get their accounts and deals) and before the requests `workflows.demo`
drives through the real transition service. For each demo rep it writes, in bulk (`BulkLoader`):
- one request in every open state (submitted … completed), so every state shows whatever the
  workflow demo's guards let through, with the workflow's tasks opened for it afterwards (an ask
  carries its verification code);
- the past a rep looks back on in "My requests": requests closed with feedback, declined,
  cancelled and expired over the last year; nominations in every state.
Each request carries the timeline the workflow would have written (who, what, when); completed and
closed ones have the activity they served, linked to the deal. Everything draws from `ctx.rng`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from core.demo_pipeline import DemoContext
from references.management.bulk_load import BulkLoader
from references.models import Account, ActivityType, Contact, Opportunity, ReferenceActivity
from references.statuses import ReferenceStatus
from requests_app.codes import new_code
from requests_app.models import (
    Nomination,
    ReferenceRequest,
    RequestCandidate,
    RequestEvent,
    RequestFeedback,
)
from requests_app.statuses import NominationStatus
from requests_app.statuses import RequestStatus as S
from workflows.models import RequestActivity
from workflows.services import open_workflow_tasks
from workflows.transitions import USUAL_PATH, find_transition

DEMO_REPS = ("sales", "sales2")
# Finished requests per demo rep, by final status; and one request in each open status.
HISTORY = {S.CLOSED: 6, S.DECLINED: 2, S.CANCELLED: 2, S.EXPIRED: 2}
HISTORY_DAYS = 360  # finished requests were submitted within the last year
LIVE_NEEDED_BY = (12, 30)  # days ahead an open request is needed by: after its call (within 10 days)
LIVE = (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.AWAITING_OWNER, S.CUSTOMER_ASKED, S.SCHEDULED, S.COMPLETED)
N = NominationStatus
# Written in bulk: waiting and declined ones. Qualifying and accepted ones (with their tasks) and
# volunteers are made through the services by `workflows.demo_nominations`.
NOMINATIONS = (N.SUBMITTED, N.SUBMITTED, N.REJECTED)
NOMINATION_COLUMNS = (
    "id nominated_by account contact contact_name contact_title contact_email reason status decision_note "
    "decided_at source company_name consent_text owner_consent owner_consent_note created_at updated_at"
).split()

# Who takes each action in the demo's stories.
WHO = {
    "claim": "manager",
    "ask_info": "manager",
    "approve": "manager",
    "owner_approve": "owner",
    "schedule": "manager",
    "record_activity": "manager",
    "decline": "manager",
    "feedback": "rep",
    "close": "rep",
    "cancel": "rep",
    "expire": None,
}
# How the finished requests got where they are: the actions, and the day after submission each
# was taken on (open requests follow USUAL_PATH, a day per step). "feedback" is a history row
# without a move.
FINISHED = {
    S.CLOSED: [
        ("claim", 1),
        ("approve", 2),
        ("owner_approve", 3),
        ("schedule", 5),
        ("record_activity", 12),
        ("feedback", 13),
        ("close", 13),
    ],
    S.DECLINED: [("claim", 1), ("decline", 2)],
    S.CANCELLED: [("cancel", 2)],
    S.EXPIRED: [("claim", 1), ("expire", 30)],
}


def _story(actions: list[tuple[str, int]]) -> list[tuple[str, str, str, str | None, int]]:
    """(action, from, to, who, day) per step, the statuses walked along the transition table."""
    steps, status = [], S.SUBMITTED
    for action, day in actions:
        row = find_transition(status, action)
        if row is None and action != "feedback":
            raise ValueError(f"The demo story takes “{action}”, which {status} does not allow.")
        source, target = (status, row.target) if row else ("", "")
        steps.append((action, source, target, WHO[action], day))
        status = target or status
    return steps


# The steps each final status went through: (action, from, to, who, days after submission).
STORIES = {
    **{status: _story([(a, i + 1) for i, a in enumerate(USUAL_PATH[status])]) for status in LIVE},
    **{status: _story(actions) for status, actions in FINISHED.items()},
}
NOTES = {
    "ask_info": "Which product is the prospect evaluating, and who joins the call?",
    "approve": "Good fit: same industry and they replaced the same competitor.",
    "owner_approve": "Go ahead — the relationship is in great shape.",
    "schedule": "Call set up with both sides.",
    "record_activity": "45-minute call; the prospect asked mostly about the migration.",
    "decline": "Nobody fitting is available before your date; ask again next month.",
    "cancel": "The prospect postponed the evaluation to next year.",
    "expire": "The needed-by date passed before a reference could be arranged.",
}
REASONS = [
    "Renewed early and expanded to two more regions; the VP talks about us at every meetup.",
    "Their migration went live ahead of plan and they measured the savings themselves.",
    "Champion volunteered after the user conference; great storyteller.",
    "Replaced a competitor last year and is happy to say why.",
    "Their data team presented our product at an industry event.",
]


@dataclass
class Story:
    request_id: int
    rep: User
    status: str
    submitted: datetime


class SalesDemo:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.loader = BulkLoader()
        self.t_request = self.loader.table(
            ReferenceRequest,
            [
                "id",
                "requester",
                "opportunity",
                "activity_type",
                "needed_by",
                "notes",
                "status",
                "resume_status",
                "assigned_manager",
                "chosen_contact",
                "scheduled_for",
                "campaign",
                "created_at",
                "updated_at",
                "status_changed_at",
                "verification_code",
            ],
        )
        self.t_candidate = self.loader.table(RequestCandidate, ["request", "contact", "preference"])
        self.t_event = self.loader.table(
            RequestEvent, ["request", "actor", "action", "from_status", "to_status", "note", "created_at"]
        )
        self.t_feedback = self.loader.table(
            RequestFeedback,
            [
                "request",
                "took_place",
                "helpfulness",
                "would_use_again",
                "outcome_note",
                "submitted_by",
                "submitted_at",
            ],
        )
        self.t_nomination = self.loader.table(Nomination, NOMINATION_COLUMNS)
        self.t_nomination_types = self.loader.through(Nomination.activity_types.field)
        self.t_activity = self.loader.table(
            ReferenceActivity,
            [
                "id",
                "contact",
                "account",
                "activity_type",
                "occurred_on",
                "duration_minutes",
                "notes",
                "recorded_by",
                "created_at",
            ],
        )
        self.t_activity_deals = self.loader.through(ReferenceActivity.opportunities.field)
        self.t_served = self.loader.table(RequestActivity, ["request", "activity"])
        self.live: list[int] = []
        self.manager = ctx.users.get("manager")
        self.call = ActivityType.objects.get(code="reference_call")
        self.types = list(ActivityType.objects.filter(is_active=True).order_by("id"))

    def stamp(self, day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, self.rng.randint(0, 59))))

    def pool(self, rep: User) -> list[Contact]:
        """Contacts of other owners' accounts willing to take reference calls, who consented
        before the year of history begins (no activity before a contact's consent)."""
        consented = timezone.make_aware(
            datetime.combine(self.ctx.today - timedelta(days=HISTORY_DAYS), time())
        )
        contacts = (
            Contact.objects.offerable()
            .filter(preferences__activity_types=self.call, preferences__consent_given_at__lt=consented)
            .exclude(account__owner=rep)
            .select_related("account")
            .order_by("id")[:120]
        )
        return list(contacts)

    def seed_requests(self, rep: User) -> tuple[int, int]:
        """(open, finished) requests of `rep`: one in each open state, then the year's history."""
        deals = list(Opportunity.objects.filter(owner=rep).order_by("id")[:60])
        soon = self.ctx.today + timedelta(days=max(LIVE_NEEDED_BY))  # needed by before the deal closes
        open_deals = [d for d in deals if d.outcome == Opportunity.Outcome.OPEN and d.close_date >= soon]
        pool = self.pool(rep)
        if not open_deals or len(pool) < 3 or self.manager is None:
            return 0, 0
        for status in LIVE:
            contacts = self.rng.sample(pool, self.rng.randint(1, 3))
            # Submitted a few days ago, each step a day after the previous one.
            submitted_day = self.ctx.today - timedelta(days=len(STORIES[status]) + self.rng.randint(1, 4))
            self.live.append(
                self.seed_request(rep, status, self.rng.choice(open_deals), contacts, submitted_day)
            )
        finished = 0
        for status, count in HISTORY.items():
            for _ in range(count):
                contacts = self.rng.sample(pool, self.rng.randint(1, 3))
                submitted_day = self.ctx.today - timedelta(days=self.rng.randint(40, HISTORY_DAYS - 30))
                self.seed_request(rep, status, self.rng.choice(deals), contacts, submitted_day)
                finished += 1
        return len(LIVE), finished

    def seed_request(
        self, rep: User, status: str, deal: Opportunity, contacts: list[Contact], submitted_day: date
    ) -> int:
        steps = STORIES[status]
        live = status in LIVE
        # Open requests moved a day per step; finished ones at their story's pace.
        days = [submitted_day + timedelta(days=i + 1 if live else step[4]) for i, step in enumerate(steps)]
        when = dict(zip((step[0] for step in steps), days, strict=True))
        last_day = days[-1] if days else submitted_day
        start, days_ahead = (self.ctx.today, LIVE_NEEDED_BY) if live else (submitted_day, (14, 28))
        needed_by = start + timedelta(days=self.rng.randint(*days_ahead))
        if status == S.EXPIRED:
            needed_by = last_day - timedelta(days=1)
        chosen = contacts[0] if "approve" in when else None
        scheduled_for = None
        if "record_activity" in when:
            scheduled_for = self.stamp(when["record_activity"], 15)
        elif "schedule" in when:
            scheduled_for = self.stamp(self.ctx.today + timedelta(days=self.rng.randint(2, 10)), 15)
        request_id = self.t_request.new_id()
        submitted = self.stamp(submitted_day, 9)
        moved = self.stamp(last_day, 16) if steps else submitted
        self.t_request.add(
            (
                request_id,
                rep.pk,
                deal.pk,
                self.call.pk,
                needed_by,
                self.rng.choice(["Competitive deal; the CIO wants a peer's view.", "Late-stage deal.", ""]),
                status,
                S.IN_REVIEW if status == S.NEEDS_INFO else "",
                self.manager.pk if any(step[3] == "manager" for step in steps) else None,
                chosen.pk if chosen else None,
                scheduled_for,
                "",
                submitted,
                moved,
                moved,
                new_code() if status in LIVE and "owner_approve" in when else None,
            )
        )
        for preference, contact in enumerate(contacts, start=1):
            self.t_candidate.add((request_id, contact.pk, preference))
        self.t_event.add((request_id, rep.pk, "submit", "", S.SUBMITTED, "", submitted))
        actors = {"manager": self.manager.pk, "rep": rep.pk, "owner": contacts[0].account.owner_id}
        for (action, source, target, who, _after), day in zip(steps, days, strict=True):
            at = self.stamp(day, 14 if who != "rep" else 17)
            note = NOTES.get(action, "")
            if action == "approve":
                note = f"Approved with {contacts[0].full_name} of {contacts[0].account.name}. {note}"
            if action == "record_activity":
                self.seed_activity(request_id, chosen, deal, day, at)
            if action == "feedback":
                helpful = self.rng.randint(3, 5)
                note = f"Helpfulness {helpful}/5. Would use again. The prospect moved to the proposal stage."
                self.t_feedback.add(
                    (request_id, True, helpful, True, "The prospect moved to the proposal stage.", rep.pk, at)
                )
            self.t_event.add((request_id, actors.get(who), action, source, target, note, at))
        return request_id

    def seed_activity(
        self, request_id: int, contact: Contact, deal: Opportunity, day: date, at: datetime
    ) -> None:
        """The reference call the request served, counted against the contact's limits."""
        activity_id = self.t_activity.new_id()
        self.t_activity.add(
            (
                activity_id,
                contact.pk,
                contact.account_id,
                self.call.pk,
                day,
                45,
                NOTES["record_activity"],
                self.manager.pk,
                at,
            )
        )
        self.t_activity_deals.add((activity_id, deal.pk))
        self.t_served.add((request_id, activity_id))

    def seed_nominations(self, rep: User) -> int:
        accounts = list(
            Account.objects.filter(owner=rep)
            .exclude(status__in=[ReferenceStatus.DEFECTED, ReferenceStatus.RETIRED])
            .order_by("id")[:40]
        )
        if not accounts:
            return 0
        made = 0
        for status, account in zip(
            NOMINATIONS, self.rng.sample(accounts, min(len(NOMINATIONS), len(accounts))), strict=False
        ):
            contact = (
                Contact.objects.filter(account=account, status=ReferenceStatus.CANDIDATE)
                .order_by("id")
                .first()
            )
            created = self.stamp(self.ctx.today - timedelta(days=self.rng.randint(2, 120)), 11)
            decision = {
                N.REJECTED: "Renewal negotiations are open; let's revisit after they renew.",
            }.get(status, "")
            decided = created + timedelta(days=3) if decision else None
            nomination_id = self.t_nomination.new_id()
            self.t_nomination.add(
                (
                    nomination_id,
                    rep.pk,
                    account.pk,
                    contact.pk if contact else None,
                    ""
                    if contact
                    else self.rng.choice(["Alex Morgan", "Robin Chen", "Sasha Weber", "Kim Duarte"]),
                    "" if contact else self.rng.choice(["Head of Data", "CIO", "IT Director"]),
                    "",
                    self.rng.choice(REASONS),
                    status,
                    decision,
                    decided,
                    Nomination.Source.SALES,
                    "",
                    "",
                    Nomination.Consent.NOT_ASKED,
                    "",
                    created,
                    decided or created,
                )
            )
            for activity_type in self.rng.sample(self.types, 2):
                self.t_nomination_types.add((nomination_id, activity_type.pk))
            made += 1
        return made

    def run(self) -> None:
        live = finished = nominations = 0
        for username in DEMO_REPS:
            rep = self.ctx.users.get(username)
            if rep is None:
                continue
            opened, done = self.seed_requests(rep)
            live, finished = live + opened, finished + done
            nominations += self.seed_nominations(rep)
        self.loader.finish()
        for request in ReferenceRequest.objects.filter(pk__in=self.live).select_related("requester"):
            open_workflow_tasks(request=request, actor=request.requester)
        self.ctx.log(
            f"  sales portal: {live} open and {finished} finished requests with their history, "
            f"{nominations} nominations"
        )


def seed_history(ctx: DemoContext) -> None:
    """Finished requests and nominations for the demo reps (see the module docstring)."""
    SalesDemo(ctx).run()
