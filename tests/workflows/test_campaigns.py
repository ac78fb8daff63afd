"""Campaign requests: marketing asks for a customer with no deal, through the same workflow,
counted against the same burnout limits, seen in the manager's inbox."""

from datetime import date, timedelta

import pytest

from core.errors import DomainError, InvalidInput
from customers.asks import open_asks
from limits.selectors import availability_for
from references.models import ActivityType
from references.taxonomy_data import CAMPAIGN_ACTIVITY_TYPES, EVENT_ACTIVITY_TYPES
from requests_app.campaigns import campaign_counts
from requests_app.models import RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_campaign_request
from workflows.customer_notices import ask_message
from workflows.models import Task, WorkflowTemplate
from workflows.services import request_submit, request_transition


@pytest.fixture
def press_contact(customer_account):
    return catalogue.make_contact(
        customer_account, first_name="Pia", last_name="Press", activity_types=CAMPAIGN_ACTIVITY_TYPES
    )


def test_every_campaign_and_event_type_has_a_workflow(db):
    for code in (*CAMPAIGN_ACTIVITY_TYPES, *EVENT_ACTIVITY_TYPES):
        activity_type = ActivityType.objects.get(code=code)
        template = WorkflowTemplate.objects.get(activity_type=activity_type)
        assert template.steps.filter(request_status=RequestStatus.SUBMITTED).exists(), code
        assert template.steps.filter(request_status=RequestStatus.SCHEDULED).exists(), code


def test_marketing_submits_a_campaign_request_with_its_first_tasks(marketer, press_contact):
    request = make_campaign_request(marketer, press_contact, campaign="Launch press tour")
    assert request.opportunity is None
    assert request.campaign == "Launch press tour"
    assert request.status == RequestStatus.SUBMITTED
    assert Task.objects.filter(request=request, step__name="Triage the request").exists()


def test_a_request_needs_a_deal_or_a_campaign_not_both(marketer, press_contact, deal):
    common = {
        "requester": marketer,
        "activity_type": catalogue.activity_type("press_interview"),
        "contacts": [press_contact.pk],
        "needed_by": date.today() + timedelta(days=10),
    }
    with pytest.raises(InvalidInput) as neither:
        request_submit(**common)
    assert neither.value.field == "opportunity"
    with pytest.raises(InvalidInput) as both:
        request_submit(**common, opportunity=deal, campaign="Tour")
    assert both.value.field == "campaign"


def test_a_sales_rep_cannot_make_a_campaign_request(sales_rep, press_contact):
    with pytest.raises(InvalidInput) as refused:
        make_campaign_request(sales_rep, press_contact)
    assert refused.value.field == "campaign"


def test_the_same_contact_twice_for_one_campaign_is_refused(marketer, press_contact):
    make_campaign_request(marketer, press_contact, campaign="Tour")
    with pytest.raises(InvalidInput, match="already requested for Tour"):
        make_campaign_request(marketer, press_contact, campaign="tour")
    assert make_campaign_request(marketer, press_contact, campaign="Another campaign").pk


def test_approving_a_campaign_request_uses_a_slot(marketer, manager, press_contact):
    press = catalogue.activity_type("press_interview")
    before = availability_for([press_contact.pk], activity_type=press)[press_contact.pk]
    request = make_campaign_request(marketer, press_contact)
    request_transition(request_id=request.pk, action="approve", actor=manager, contact=press_contact.pk)
    after = availability_for([press_contact.pk], activity_type=press)[press_contact.pk]
    assert (after.used, after.slots) == (before.used + 1, before.slots - 1)


def test_a_contact_at_their_limit_refuses_approval_of_a_campaign_request(marketer, manager, press_contact):
    catalogue.make_activity(press_contact, date.today() - timedelta(days=1))  # resting now
    request = make_campaign_request(marketer, press_contact)
    with pytest.raises(DomainError):
        request_transition(request_id=request.pk, action="approve", actor=manager, contact=press_contact.pk)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_campaign_counts(marketer, manager, press_contact):
    make_campaign_request(marketer, press_contact, campaign="A")
    make_campaign_request(marketer, press_contact, campaign="B")
    assert campaign_counts(marketer) == {"open": 2, "approved": 0, "total": 2}
    assert campaign_counts(manager)["total"] == 2


def test_the_customer_reads_the_campaign_instead_of_a_prospect(marketer, manager, press_contact):
    request = make_campaign_request(marketer, press_contact, campaign="Cloud summit keynote")
    request = drive_to(request, RequestStatus.CUSTOMER_ASKED, press_contact, manager)
    [ask] = open_asks(press_contact)
    assert ask.campaign == "Cloud summit keynote"
    assert ask.industry == ""
    assert "Cloud summit keynote" in ask_message(request, press_contact).body
