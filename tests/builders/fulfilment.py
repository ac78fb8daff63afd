"""A hand-built program of requests whose fulfilment figures are known (tests of insights).

Ten requests created in March 2026, a day apart from 2 March 09:00 UTC (one more in February,
outside the range), each built through the workflow's services, then its creation and history
moved to known moments: four reached "scheduled" after 10, 20, 30 (a site visit) and 100 hours
(then rescheduled five days later); three are fulfilled, three ended otherwise (declined,
expired, cancelled), one is just submitted; the account owner declined one and the customer
(in their portal) another, both back in review.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from insights.segments import Segment
from requests_app.models import ReferenceRequest, RequestEvent
from requests_app.statuses import RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request
from workflows.models import WorkflowStep
from workflows.services import request_transition

S = RequestStatus
MARCH = Segment(date(2026, 3, 1), date(2026, 3, 31))
DAY_ONE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OWNER_REASON = "The account is in an escalation."
CUSTOMER_REASON = "Too busy this quarter."


@dataclass
class Program:
    by_name: dict[str, ReferenceRequest]
    steps: list[WorkflowStep]  # the reference call's workflow, in order


def place(request: ReferenceRequest, created: datetime, scheduled_after: float | None = None) -> None:
    """Move the request's creation to `created` and its whole history a minute later; its first
    scheduling `scheduled_after` hours later, and a reschedule five days after that."""
    ReferenceRequest.objects.filter(pk=request.pk).update(created_at=created)
    RequestEvent.objects.filter(request=request).update(created_at=created + timedelta(minutes=1))
    if scheduled_after is not None:
        moved = created + timedelta(hours=scheduled_after)
        RequestEvent.objects.filter(request=request, to_status=S.SCHEDULED).update(created_at=moved)
        RequestEvent.objects.create(
            request=request, action="reschedule", from_status=S.SCHEDULED, to_status=S.SCHEDULED
        )
        RequestEvent.objects.filter(request=request, action="reschedule").update(
            created_at=moved + timedelta(days=5)
        )


def new_request(rep, owner, code: str = "reference_call", **deal):
    """A submitted request of `rep` for a new contact at a new account of `owner`, on a new deal."""
    account = catalogue.make_account(owner)
    contact = catalogue.make_contact(account, activity_types=("reference_call", "site_visit"))
    opportunity = catalogue.make_opportunity(rep, **deal)
    return make_request(rep, contact, code=code, opportunity=opportunity), contact


PLAN = (
    # name, status, hours to schedule, activity type, day after DAY_ONE
    ("scheduled", S.SCHEDULED, 10, "reference_call", 0),
    ("completed", S.COMPLETED, 20, "reference_call", 1),
    ("closed", S.CLOSED, 30, "site_visit", 2),
    ("slow", S.COMPLETED, 100, "reference_call", 3),
    ("declined", S.DECLINED, None, "reference_call", 4),
    ("expired", S.EXPIRED, None, "reference_call", 5),
    ("cancelled", S.CANCELLED, None, "reference_call", 6),
    ("submitted", S.SUBMITTED, None, "reference_call", 7),
    ("owner_no", S.AWAITING_OWNER, None, "reference_call", 8),
    ("customer_no", S.CUSTOMER_ASKED, None, "reference_call", 9),
    ("february", S.SCHEDULED, 1, "reference_call", -20),  # created before the range
)


def make_fulfilment_program(sales_rep, account_owner, manager) -> Program:
    made = {}
    for name, status, hours, code, day in PLAN:
        request, contact = new_request(sales_rep, account_owner, code)
        made[name] = (drive_to(request, status, contact, manager), contact, hours, day)
    request, contact, *_ = made["owner_no"]
    owner = request.chosen_contact.account.owner
    request_transition(request_id=request.pk, action="owner_decline", actor=owner, note=OWNER_REASON)
    request, contact, *_ = made["customer_no"]
    request_transition(
        request_id=request.pk, action="decline_ask", actor=None, customer=contact, note=CUSTOMER_REASON
    )
    for request, _contact, hours, day in made.values():
        place(request, DAY_ONE + timedelta(days=day), hours)
    steps = WorkflowStep.objects.filter(template__activity_type__code="reference_call").order_by("order")
    by_name = {name: ReferenceRequest.objects.get(pk=row[0].pk) for name, row in made.items()}
    return Program(by_name, list(steps))
