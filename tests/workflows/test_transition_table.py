"""Every (status, action, role) combination against a hand-written specification.

The specification below is written independently of workflows/transitions.py: the first test says
the table is exactly this, the parametrized test runs the real service for every combination and
checks the outcome — allowed (the status moves, one history row), forbidden (NotAllowed, nothing
changes) or invalid (Conflict, nothing changes).
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from requests_app.models import ReferenceRequest, RequestEvent, RequestFeedback, RequestStatus
from tests.builders import catalogue as factories
from tests.builders.requests import make_request, payload_for
from workflows.services import request_transition
from workflows.transitions import ACTIONS, RESUME, TABLE, available_transitions

MGR, OWN, REQ, SYS, CUST = "manager", "account_owner", "requester", "system", "customer"
BEFORE_SCHEDULED = ["submitted", "in_review", "needs_info", "awaiting_owner", "customer_asked"]
OPEN = [*BEFORE_SCHEDULED, "scheduled"]

# (status, action) -> (target, roles allowed). Anything not listed is invalid in that status.
SPEC = {
    ("submitted", "claim"): ("in_review", {MGR}),
    **{(s, "reassign"): (s, {MGR}) for s in OPEN},
    **{(s, "approve"): ("awaiting_owner", {MGR}) for s in ("submitted", "in_review")},
    **{(s, "decline"): ("declined", {MGR}) for s in ("submitted", "in_review")},
    **{(s, "ask_info"): ("needs_info", {MGR}) for s in ("submitted", "in_review")},
    ("needs_info", "provide_info"): (RESUME, {REQ, MGR}),
    ("awaiting_owner", "owner_approve"): ("customer_asked", {OWN}),
    ("awaiting_owner", "approve_for_owner"): ("customer_asked", {MGR}),
    ("awaiting_owner", "owner_decline"): ("in_review", {OWN}),
    ("awaiting_owner", "decline_for_owner"): ("in_review", {MGR}),
    ("customer_asked", "schedule"): ("scheduled", {MGR}),
    ("customer_asked", "customer_decline"): ("in_review", {MGR}),
    ("customer_asked", "accept_ask"): ("customer_asked", {CUST}),
    ("customer_asked", "decline_ask"): ("in_review", {CUST}),
    ("scheduled", "reschedule"): ("scheduled", {MGR}),
    **{(s, "record_activity"): ("completed", {MGR, REQ}) for s in ("customer_asked", "scheduled")},
    ("completed", "close"): ("closed", {MGR, REQ, SYS}),
    **{(s, "cancel"): ("cancelled", {REQ, MGR}) for s in BEFORE_SCHEDULED},
    ("scheduled", "cancel"): ("cancelled", {MGR}),
    **{(s, "expire"): ("expired", {SYS}) for s in BEFORE_SCHEDULED},
}
# Who tries: the five relations of the table plus people with none (a contact who is not the
# request's chosen contact among them).
ROLES = [MGR, OWN, REQ, SYS, CUST, "other_rep", "marketer", "other_customer"]
CUSTOMERS = (CUST, "other_customer")


def test_the_table_is_exactly_the_specification():
    table = {(t.source, t.action): (t.target, {str(r) for r in t.roles}) for t in TABLE}
    assert table == SPEC
    assert set(ACTIONS) == {action for _, action in SPEC}


def _force_status(request: ReferenceRequest, status: str, contact, action: str) -> ReferenceRequest:
    """Put a request straight into `status` with the fields that status implies."""
    fields = {"status": status, "chosen_contact": contact}
    if status == "needs_info":
        fields["resume_status"] = "in_review"
    if status in ("scheduled", "completed", "closed"):
        fields["scheduled_for"] = timezone.now() - timedelta(hours=1)  # held: it can be recorded
    if action == "expire":
        fields["needed_by"] = date.today() - timedelta(days=1)
    ReferenceRequest.objects.filter(pk=request.pk).update(**fields)
    if action == "close":
        RequestFeedback.objects.create(
            request=request, took_place=True, helpfulness=4, submitted_by=request.requester
        )
    return ReferenceRequest.objects.select_related("chosen_contact__account").get(pk=request.pk)


@pytest.fixture
def people(manager, account_owner, sales_rep, other_rep, marketer, customer_contact):
    return {
        MGR: manager,
        OWN: account_owner,
        REQ: sales_rep,
        SYS: None,
        CUST: customer_contact,
        "other_rep": other_rep,
        "marketer": marketer,
        "other_customer": factories.make_contact(customer_contact.account),
    }


def _outcome(
    request_id: int, action: str, who, role: str, payload: dict
) -> tuple[str, ReferenceRequest | None]:
    actor = {"customer": who, "actor": None} if role in CUSTOMERS else {"actor": who}
    try:
        moved = request_transition(request_id=request_id, action=action, **actor, **payload)
    except NotAllowed:
        return "forbidden", None
    except Conflict:
        return "invalid", None
    return "allowed", moved


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", RequestStatus.values)
def test_every_status_action_and_role(status, action, people, sales_rep, customer_contact):
    request = _force_status(make_request(sales_rep, customer_contact), status, customer_contact, action)
    payload = payload_for(action, request, customer_contact, people[MGR])
    target, allowed_roles = SPEC.get((status, action), (None, set()))
    for role in ROLES:
        events_before = RequestEvent.objects.filter(request=request).count()
        with transaction.atomic():
            result, moved = _outcome(request.pk, action, people[role], role, payload)
            expected = "invalid" if target is None else ("allowed" if role in allowed_roles else "forbidden")
            assert result == expected, f"{status} --{action}--> as {role}"
            events_after = RequestEvent.objects.filter(request=request).count()
            current = ReferenceRequest.objects.values_list("status", flat=True).get(pk=request.pk)
            if result == "allowed":
                assert current == ("in_review" if target == RESUME else target)
                assert moved.status == current
                assert events_after == events_before + 1
                last = RequestEvent.objects.filter(request=request).latest("id")
                assert (last.action, last.from_status, last.to_status) == (action, status, current)
            else:
                assert current == status and events_after == events_before
            transaction.set_rollback(True)


@pytest.mark.parametrize("status", RequestStatus.values)
def test_buttons_offered_are_the_allowed_actions(status, people, sales_rep, customer_contact):
    request = _force_status(make_request(sales_rep, customer_contact), status, customer_contact, "")
    for role in (MGR, OWN, REQ, "other_rep", "marketer"):
        offered = {t.action for t in available_transitions(request, people[role])}
        expected = {action for (s, action), (_, roles) in SPEC.items() if s == status and role in roles}
        assert offered == expected, f"{status} as {role}"


def test_an_unknown_action_is_refused_clearly(ref_request, manager):
    with pytest.raises(InvalidInput, match="Unknown action"):
        request_transition(request_id=ref_request.pk, action="delete_everything", actor=manager)


def test_a_superuser_without_a_relation_is_a_manager(ref_request):
    root = factories.make_user("root2", is_superuser=True)
    moved = request_transition(request_id=ref_request.pk, action="claim", actor=root)
    assert moved.status == "in_review" and moved.assigned_manager == root
