"""The requests bench/insights.py adds for the fulfilment figures: stories and their SQL.

`bench.insights_data.top_up_requests` writes, set-based, requests with the rows the fulfilment
section reads (insights/fulfilment.py), in the shape the services write them
(`requests_app.services.request_create`, `workflows.services.request_transition`,
`workflows.tasking`):

- each request follows one of `STORIES`: the actions the transition table allows walked from
  "submitted" (checked when the module loads), weighted so that most are closed, some declined
  (by the program, after the owner's or the customer's no), expired, cancelled, and a few are
  still open at every step;
- a **plan** row per request (a temporary table): its story, a deal and its owner as requester
  (about one in twelve is a campaign, asked by a manager or marketing), an activity type with a
  workflow, a contact (with their account's owner), and two random lengths: `span`, from the
  submission to the story's pivot (the scheduling, or the decline / cancellation), exponential so
  the median and the 90th percentile differ (about 50 and 160 hours), and `hold`, from the
  scheduling to the activity (2–14 days). A step happens at `span × frac + hold × hold_w +
  tail_h hours` after the submission; a finished request's last move falls within the last two
  years, an open one's a few days ago (so its open task may be past due);
- the history rows (the "submit" row, one per step; a decline carries a drawn reason, the
  customer's in two of three, an expiry the sweep's wording; a request approved again after a no
  is approved with the same contact, the plan drawing one);
- the workflow's tasks: for each stay in a status, the steps bound to it, one after another over
  the stay, each due by its service level (business time approximated: 8 business hours a day,
  5 business days a week; a scheduled request's steps count from the activity), the last closed
  as the leaving action closes tasks (done or skipped); the stay a request is still in opens its
  first step, left open;
- the first-choice candidate.
Not written (fulfilment reads none of them): notices, webhooks, feedback, the activity a
completed request recorded (the activities are topped up on their own).
"""

from dataclasses import dataclass

from requests_app.statuses import OPEN_STATUSES
from requests_app.statuses import RequestStatus as S
from workflows import guards
from workflows.machine import RESUME
from workflows.models import SlaUnit, StepRole
from workflows.models import Task as T
from workflows.transitions import TABLE, find_transition

# Who takes each action (the demo's: workflows/demo_history.py); the customer declines in the portal.
ACTORS = {
    "submit": "requester",
    "claim": "manager",
    "ask_info": "manager",
    "provide_info": "requester",
    "approve": "manager",
    "owner_approve": "owner",
    "owner_decline": "owner",
    "decline_for_owner": "manager",
    "decline_ask": "customer",
    "customer_decline": "manager",
    "schedule": "manager",
    "record_activity": "manager",
    "decline": "manager",
    "close": "requester",
    "cancel": "requester",
    "expire": "system",
}
NOTES = {
    "ask_info": "Which product is the prospect evaluating, and who joins the call?",
    "provide_info": "Analytics Cloud; their CIO and the head of data.",
    "approve": "Good fit: same industry and they replaced the same competitor.",
    "owner_approve": "Go ahead — the relationship is in great shape.",
    "schedule": "Call set up with both sides.",
    "record_activity": "45-minute call; the prospect asked mostly about the migration.",
    "cancel": "The prospect postponed the evaluation to next year.",
    "expire": "The needed-by date passed before a reference could be arranged.",
}
# The reasons a decline carries (one drawn per row; the customer gives none a third of the time).
REASONS = [
    "Nobody fitting is available before your date; ask again next month.",
    "The account is in an escalation; not now.",
    "Renewal negotiations are open.",
    "Too busy this quarter.",
    "They did two calls this month already.",
    "The prospect is a competitor of theirs.",
]
REASONED = ("decline", "owner_decline", "decline_for_owner", "decline_ask", "customer_decline")
REASON_OPTIONAL = ["decline_ask"]
CAMPAIGNS = ["Analyst briefing season", "Industry press round", "Customer summit", "Webinar series"]
CAMPAIGN_SHARE = 0.08
SPAN_HOURS = 70  # the mean of the span's exponential part (2 hours at least)
OPEN_AGE_HOURS = 96  # an open request last moved this long ago on average (exponential)
HISTORY_DAYS = 720  # a finished request last moved within this many days
# Activity types asked for more often than the rest (weight 1).
TYPE_WEIGHTS = {"reference_call": 6, "site_visit": 2, "case_study": 2}

SCHEDULED = [("claim", 0.1), ("approve", 0.35), ("owner_approve", 0.65), ("schedule", 1.0)]
HELD = [("record_activity", 1.0, 1.0, 0), ("close", 1.0, 1.0, 30)]


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    target: str
    frac: float  # of the span
    hold_w: float  # of the hold
    tail_h: float  # hours


@dataclass(frozen=True)
class Story:
    weight: int
    steps: tuple[Step, ...]
    status: str
    resume: str
    contact: bool  # the request keeps a chosen contact
    scheduled: bool  # it was scheduled and kept its date

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def story(weight: int, *moves) -> Story:
    """Walk `moves` ((action, frac[, hold_w, tail_h])) along the transition table from "submitted"."""
    status, resume, contact, scheduled = S.SUBMITTED, "", False, False
    steps = [Step("submit", "", S.SUBMITTED, 0, 0, 0)]
    for action, frac, *rest in moves:
        row = find_transition(status, action)
        if row is None:
            raise ValueError(f"A bench story takes “{action}”, which {status} does not allow.")
        target = (resume or S.IN_REVIEW) if row.target == RESUME else row.target
        resume = status if row.effect is guards.remember_resume else ("" if row.target == RESUME else resume)
        contact = (contact or row.effect is guards.choose_contact) and row.effect is not guards.clear_contact
        scheduled = (scheduled or action == "schedule") and row.effect is not guards.clear_contact
        steps.append(Step(action, status, target, frac, *(rest or (0, 0))))
        status = target
    return Story(weight, tuple(steps), status, resume, contact, scheduled)


# A detour back to review, then approved again (the same contact: the plan draws one) and scheduled.
AGAIN = [("approve", 0.6), ("owner_approve", 0.8), ("schedule", 1.0)]
ASKED = [("claim", 0.1), ("approve", 0.25), ("owner_approve", 0.4)]
STORIES = (
    story(51, *SCHEDULED, *HELD),
    story(5, ("claim", 0.1), ("approve", 0.25), ("owner_decline", 0.4), *AGAIN, *HELD),
    story(5, *ASKED, ("decline_ask", 0.5), *AGAIN, *HELD),
    story(4, ("claim", 0.1), ("ask_info", 0.2), ("provide_info", 0.4), *AGAIN, *HELD),
    story(2, *SCHEDULED, HELD[0]),  # completed, its feedback awaited
    story(10, ("claim", 0.3), ("decline", 1.0)),
    story(2, ("claim", 0.2), ("approve", 0.4), ("decline_for_owner", 0.7), ("decline", 1.0)),
    story(5, ("claim", 0.2), ("expire", 1.0, 0, 480)),
    story(2, *ASKED, ("customer_decline", 1.0), ("expire", 1.0, 0, 480)),
    story(3, ("cancel", 0.5)),
    story(3, ("claim", 0.2), ("cancel", 1.0)),
    story(1, *SCHEDULED, ("cancel", 1.0, 0.5, 0)),
    # Still open, at every step.
    story(1),
    story(1, ("claim", 0.3)),
    story(1, ("claim", 0.3), ("ask_info", 0.6)),
    story(1, ("claim", 0.3), ("approve", 0.6)),
    story(1, ("claim", 0.2), ("approve", 0.5), ("owner_approve", 0.8)),
    story(2, *SCHEDULED),
)
SKIPPING = sorted({t.action for t in TABLE if t.close_tasks_as == T.Status.SKIPPED})

# One of `items` by a draw in [0, 1).
_PICK = """
CREATE OR REPLACE FUNCTION pg_temp.bench_pick(items anyarray, draw float) RETURNS anyelement
LANGUAGE sql IMMUTABLE AS $$ SELECT items[1 + floor(draw * cardinality(items))::int] $$
"""
_STORY_TABLES = """
CREATE TEMP TABLE bench_story (
    story int, status text, resume text, contact bool, scheduled bool, claimed bool, open bool,
    expires bool, last_frac float, last_hold float, last_tail float
) ON COMMIT DROP
"""
_STEP_TABLE = """
CREATE TEMP TABLE bench_story_step (
    story int, seq int, action text, source text, target text, frac float, hold_w float,
    tail_h float, actor text, note text, reasoned bool
) ON COMMIT DROP
"""
# One plan row per new request (see the module docstring). The draws are made in a CTE of their
# own (volatile, so never inlined): each row gets its own, and the lateral picks stay index scans.
_PLAN = """
CREATE TEMP TABLE bench_request_plan ON COMMIT DROP AS
WITH draws AS (
    SELECT pg_temp.bench_pick(%(stories)s::int[], random()) AS story,
           interval '1 hour' * (2 + %(span_hours)s * -ln(1 - random())) AS span,
           interval '1 day' * (2 + random() * 12) AS hold,
           random() < %(campaign_share)s AS for_campaign,
           random() AS r_age, random() AS r_who, random() AS r_type, random() AS r_needed,
           random() AS r_manager,
           %(deal_low)s + floor(random() * (%(deal_high)s - %(deal_low)s + 1))::bigint AS deal_pick,
           %(contact_low)s
               + floor(random() * (%(contact_high)s - %(contact_low)s + 1))::bigint AS contact_pick
    FROM generate_series(1, %(missing)s)
), timed AS (
    SELECT d.*, s.status, s.resume, s.contact, s.scheduled, s.claimed, s.open, s.expires,
           d.span * s.last_frac + d.hold * s.last_hold + interval '1 hour' * s.last_tail AS length,
           CASE WHEN s.open THEN now() - interval '1 hour' * %(open_age)s * -ln(1 - d.r_age)
                ELSE now() - interval '1 day' * (1 + d.r_age * %(history_days)s) END AS last_move
    FROM draws d JOIN bench_story s USING (story)
)
SELECT nextval(%(sequence)s) AS id, t.story, t.span, t.hold, t.status, t.resume, t.contact,
       t.scheduled, t.claimed, t.last_move, t.last_move - t.length AS created_at,
       t.last_move - t.length + t.span + t.hold AS activity_at,
       CASE WHEN t.expires THEN t.last_move::date - 1
            ELSE (t.last_move - t.length)::date + 14 + floor(t.r_needed * 27)::int END AS needed_by,
       o.id AS opportunity_id,
       CASE WHEN t.for_campaign THEN pg_temp.bench_pick(%(campaigns)s::text[], t.r_who)
            ELSE '' END AS campaign,
       CASE WHEN t.for_campaign
                THEN pg_temp.bench_pick(%(campaigners)s::int[], t.r_who)
            WHEN o.owner_id = ANY(%(sales)s::int[]) THEN o.owner_id
            ELSE pg_temp.bench_pick(%(sales)s::int[], t.r_who) END AS requester_id,
       pg_temp.bench_pick(%(types)s::bigint[], t.r_type) AS activity_type_id,
       pg_temp.bench_pick(%(managers)s::int[], t.r_manager) AS manager_id,
       c.id AS contact_id, c.owner_id
FROM timed t
LEFT JOIN LATERAL (
    SELECT id, owner_id FROM references_opportunity WHERE id >= t.deal_pick ORDER BY id LIMIT 1
) AS o ON NOT t.for_campaign
JOIN LATERAL (
    SELECT c.id, a.owner_id FROM references_contact c JOIN references_account a ON a.id = c.account_id
    WHERE c.id >= t.contact_pick ORDER BY c.id LIMIT 1
) AS c ON true
"""
_REQUESTS = """
INSERT INTO requests_app_referencerequest
    (id, requester_id, opportunity_id, campaign, activity_type_id, needed_by, notes, status,
     resume_status, assigned_manager_id, chosen_contact_id, scheduled_for, customer_brief,
     created_at, updated_at, status_changed_at)
SELECT id, requester_id, opportunity_id, campaign, activity_type_id, needed_by, '', status, resume,
       CASE WHEN claimed THEN manager_id END, CASE WHEN contact THEN contact_id END,
       CASE WHEN scheduled THEN activity_at END, '', created_at, last_move, last_move
FROM bench_request_plan ORDER BY id
"""
_CANDIDATES = """
INSERT INTO requests_app_requestcandidate (request_id, contact_id, preference)
SELECT id, contact_id, 1 FROM bench_request_plan ORDER BY id
"""
_EVENTS = """
INSERT INTO requests_app_requestevent
    (request_id, actor_id, actor_contact_id, action, from_status, to_status, note, created_at)
SELECT p.id,
       CASE s.actor WHEN 'requester' THEN p.requester_id WHEN 'manager' THEN p.manager_id
                    WHEN 'owner' THEN p.owner_id END,
       CASE WHEN s.actor = 'customer' THEN p.contact_id END,
       s.action, s.source, s.target,
       CASE WHEN s.reasoned AND (s.action <> ALL(%(optional)s::text[]) OR random() < 0.67)
                THEN pg_temp.bench_pick(%(reasons)s::text[], random())
            ELSE s.note END,
       p.created_at + p.span * s.frac + p.hold * s.hold_w + interval '1 hour' * s.tail_h
FROM bench_request_plan p JOIN bench_story_step s ON s.story = p.story
ORDER BY p.id, s.seq
"""
# Each stay in a status (from the history row entering it to the one leaving it, if any) and the
# active workflow steps bound to that status, the k-th of n run over the k-th n-th of the stay.
_TASKS = """
WITH stays AS (
    SELECT e.request_id, e.to_status AS status, e.created_at AS entered,
           lead(e.created_at) OVER w AS left_at, lead(e.action) OVER w AS left_by
    FROM requests_app_requestevent e JOIN bench_request_plan p ON p.id = e.request_id
    WHERE e.to_status <> e.from_status
    WINDOW w AS (PARTITION BY e.request_id ORDER BY e.created_at, e.id)
), steps AS (
    SELECT st.id, t.activity_type_id, st.request_status, st.name, st.role,
           CASE WHEN st.sla_unit = %(hours_unit)s THEN interval '3 hours' ELSE interval '1.4 days' END
               * st.sla_amount AS sla,
           row_number() OVER (PARTITION BY st.template_id, st.request_status ORDER BY st."order") AS k,
           count(*) OVER (PARTITION BY st.template_id, st.request_status) AS n
    FROM workflows_workflowstep st JOIN workflows_workflowtemplate t ON t.id = st.template_id
    WHERE t.is_active
), tasks AS (
    SELECT s.request_id, st.id AS step_id, st.name, st.role, st.k, st.n, s.left_at, s.left_by, st.sla,
           CASE st.role WHEN %(manager)s THEN p.manager_id WHEN %(requester)s THEN p.requester_id
                        WHEN %(owner)s THEN p.owner_id END AS assignee_id,
           s.entered
               + coalesce(s.left_at - s.entered, interval '0') * ((st.k - 1)::float / st.n) AS opened_at,
           s.entered + (s.left_at - s.entered) * (st.k::float / st.n) AS closed_at,
           s.status = %(scheduled)s AS counts_from_activity, p.activity_at
    FROM stays s
    JOIN bench_request_plan p ON p.id = s.request_id
    JOIN steps st ON st.activity_type_id = p.activity_type_id AND st.request_status = s.status
    WHERE s.left_at IS NOT NULL OR st.k = 1
), due AS (
    SELECT tasks.*,
           greatest(opened_at, CASE WHEN counts_from_activity THEN activity_at END) + sla AS due_at
    FROM tasks
)
INSERT INTO workflows_task
    (request_id, step_id, title, assignee_id, assignee_role, status, due_at, is_overdue,
     completed_at, completed_by_id, created_at)
SELECT request_id, step_id, name, assignee_id, role,
       CASE WHEN left_at IS NULL THEN %(open)s
            WHEN k < n OR NOT left_by = ANY(%(skipping)s::text[]) THEN %(done)s
            ELSE %(skipped)s END,
       due_at, left_at IS NULL AND due_at < now(), closed_at,
       CASE WHEN left_at IS NOT NULL THEN assignee_id END, opened_at
FROM due ORDER BY request_id, opened_at
"""


def _story_rows() -> tuple[list[tuple], list[tuple]]:
    stories, steps = [], []
    for number, each in enumerate(STORIES, start=1):
        last = each.steps[-1]
        expires = last.action == "expire"
        claimed = any(step.action == "claim" for step in each.steps)
        stories.append(
            (number, each.status, each.resume, each.contact, each.scheduled, claimed, each.is_open, expires)
            + (last.frac, last.hold_w, last.tail_h)
        )
        for seq, step in enumerate(each.steps):
            note = "" if step.action in REASONED else NOTES.get(step.action, "")
            steps.append(
                (number, seq, step.action, step.source, step.target, step.frac, step.hold_w, step.tail_h)
                + (ACTORS[step.action], note, step.action in REASONED)
            )
    return stories, steps


def write(
    cursor,
    missing: int,
    *,
    sales: list[int],
    campaigners: list[int],
    managers: list[int],
    types: list[int],
    deals: tuple[int, int],
    contacts: tuple[int, int],
    sequence: str,
) -> None:
    """Write `missing` requests with their history, tasks and candidate (one transaction, the
    caller's); the ids are drawn from `sequence`, the requests' own."""
    stories, steps = _story_rows()
    cursor.execute(_PICK)
    cursor.execute(_STORY_TABLES)
    cursor.execute(_STEP_TABLE)
    cursor.executemany("INSERT INTO bench_story VALUES (" + ", ".join(["%s"] * 11) + ")", stories)
    cursor.executemany("INSERT INTO bench_story_step VALUES (" + ", ".join(["%s"] * 11) + ")", steps)
    picks = [number for number, each in enumerate(STORIES, start=1) for _ in range(each.weight)]
    cursor.execute(
        _PLAN,
        {
            "stories": picks,
            "span_hours": SPAN_HOURS,
            "campaign_share": CAMPAIGN_SHARE if campaigners else 0,
            "deal_low": deals[0],
            "deal_high": deals[1],
            "contact_low": contacts[0],
            "contact_high": contacts[1],
            "missing": missing,
            "open_age": OPEN_AGE_HOURS,
            "history_days": HISTORY_DAYS,
            "sequence": sequence,
            "campaigns": CAMPAIGNS,
            "campaigners": campaigners,
            "sales": sales,
            "types": types,
            "managers": managers,
        },
    )
    cursor.execute(_REQUESTS)
    cursor.execute(_CANDIDATES)
    cursor.execute(_EVENTS, {"reasons": REASONS, "optional": REASON_OPTIONAL})
    cursor.execute(
        _TASKS,
        {
            "hours_unit": SlaUnit.BUSINESS_HOURS,
            "manager": StepRole.MANAGER,
            "requester": StepRole.REQUESTER,
            "owner": StepRole.ACCOUNT_OWNER,
            "scheduled": S.SCHEDULED,
            "open": T.Status.OPEN,
            "done": T.Status.DONE,
            "skipped": T.Status.SKIPPED,
            "skipping": SKIPPING,
        },
    )
    cursor.execute("DROP TABLE bench_request_plan, bench_story_step, bench_story")  # a second call may follow
