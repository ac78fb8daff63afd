"""Builders for requests in any workflow state, shared by the workflow and manager-portal tests.

A request is created as the sales portal creates one (status submitted, a submission history row,
its workflow tasks opened); later states are reached through the real transition service.
"""

from datetime import date, timedelta

from django.utils import timezone

from references.models import Contact
from requests_app.models import (
    ReferenceRequest,
    RequestCandidate,
    RequestEvent,
    RequestFeedback,
    RequestStatus,
)
from tests.builders import catalogue as factories
from workflows.services import open_workflow_tasks, request_transition
from workflows.transitions import USUAL_PATH


def make_request(
    requester, contact: Contact, *, code: str = "reference_call", needed_by: date | None = None, **fields
) -> ReferenceRequest:
    opportunity = fields.pop("opportunity", None) or factories.make_opportunity(requester)
    request = ReferenceRequest.objects.create(
        requester=requester,
        opportunity=opportunity,
        activity_type=factories.activity_type(code),
        needed_by=needed_by or date.today() + timedelta(days=21),
        **fields,
    )
    RequestCandidate.objects.create(request=request, contact=contact, preference=1)
    RequestEvent.objects.create(
        request=request, actor=requester, action="submit", to_status=RequestStatus.SUBMITTED
    )
    open_workflow_tasks(request=request, actor=requester)
    return request


def payload_for(action: str, request: ReferenceRequest, contact: Contact, manager) -> dict:
    """A valid payload (and note) for `action` on `request`."""
    return {
        "claim": {},
        "reassign": {"assignee": manager},
        "approve": {"contact": contact.pk},
        "decline": {"note": "Not a fit for this deal"},
        "ask_info": {"note": "Which product is the prospect evaluating?"},
        "provide_info": {"note": "Analytics Cloud"},
        "owner_approve": {"note": "Fine by me"},
        "owner_decline": {"note": "Renewal talks this month"},
        "schedule": {"scheduled_for": timezone.now() + timedelta(days=3)},
        "customer_decline": {"note": "Too busy this quarter"},
        "reschedule": {"scheduled_for": timezone.now() + timedelta(days=5)},
        "record_activity": {"occurred_on": date.today(), "duration_minutes": 45, "note": "Went well"},
        "close": {},
        "cancel": {"note": "Deal lost"},
        "expire": {},
    }[action]


def actor_for(action: str, request: ReferenceRequest, manager):
    if action == "expire":
        return None
    if action == "cancel":
        return request.requester
    if action == "owner_approve":
        return request.chosen_contact.account.owner
    return manager


def drive_to(request: ReferenceRequest, status: str, contact: Contact, manager) -> ReferenceRequest:
    """Move `request` to `status` through the real service (as the people who would do it)."""
    path, done = USUAL_PATH[status], USUAL_PATH[request.status]
    if path[: len(done)] == done:
        path = path[len(done) :]  # already part of the way there
    for action in path:
        request.refresh_from_db()
        if action == "expire":
            ReferenceRequest.objects.filter(pk=request.pk).update(needed_by=date.today() - timedelta(days=1))
        if action == "close":
            RequestFeedback.objects.create(
                request=request, took_place=True, helpfulness=5, submitted_by=request.requester
            )
        payload = payload_for(action, request, contact, manager)
        request = request_transition(
            request_id=request.pk, action=action, actor=actor_for(action, request, manager), **payload
        )
    request.refresh_from_db()
    return request
