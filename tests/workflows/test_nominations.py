"""A nomination's moves (`workflows.nominations`): qualifying asks the account owner as a task,
accepting makes the contact a reference with recruitment tasks, declining keeps a reason the
nominator reads; every move is told to the people concerned, and a second mover gets a 409."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role
from notifications.kinds import Channel
from notifications.models import Notification
from references.models import Contact, StatusChange
from references.statuses import ReferenceStatus
from requests_app.models import Nomination
from tests.builders import catalogue as factories
from tests.concurrency import race
from workflows.models import StepRole, Task
from workflows.nomination_notices import (
    NOMINATION_CONSENT_ANSWERED,
    NOMINATION_CONSENT_ASKED,
    NOMINATION_DECIDED,
    NOMINATION_SUBMITTED,
)
from workflows.nomination_selectors import open_nominations_count
from workflows.nominations import (
    RECRUITMENT,
    nomination_accept,
    nomination_consent,
    nomination_decline,
    nomination_qualify,
    nomination_submit,
)
from workflows.notices import TASK_OVERDUE
from workflows.owners import account_owner_reassign
from workflows.reminders import task_reminders
from workflows.tasking import task_complete

pytestmark = pytest.mark.django_db
S = Nomination.Status


@pytest.fixture
def account(account_owner):
    return factories.make_account(account_owner, name="Globex Bank")


@pytest.fixture
def nomination(sales_rep, account, manager):
    return nomination_submit(
        nominator=sales_rep,
        account=account,
        contact_name="Nina Newcomer",
        contact_title="CIO",
        contact_email="nina@globex.test",
        reason="Presented our results at their board.",
        activity_types=[factories.activity_type()],
    )


def _told(kind, user) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind.code, user=user, channel=Channel.IN_APP))


def _qualified(nomination, manager):
    return nomination_qualify(nomination_id=nomination.pk, actor=manager)


def test_a_new_nomination_is_told_to_the_managers_and_counted_as_open(nomination, manager, sales_rep):
    assert _told(NOMINATION_SUBMITTED, manager)
    assert not _told(NOMINATION_SUBMITTED, sales_rep)  # the nominator made it
    assert open_nominations_count(manager) == 1


def test_qualifying_asks_the_account_owner_with_a_task_on_their_list(nomination, manager, account_owner):
    qualified = _qualified(nomination, manager)

    assert qualified.status == S.QUALIFYING and qualified.owner_consent == Nomination.Consent.ASKED
    task = Task.objects.get(nomination=nomination)
    assert task.assignee == account_owner and task.assignee_role == StepRole.ACCOUNT_OWNER
    assert task.request is None and task.is_consent
    assert Task.objects.on_list_of(account_owner).filter(pk=task.pk).exists()
    assert _told(NOMINATION_CONSENT_ASKED, account_owner)


def test_the_consent_task_is_answered_on_its_page_not_ticked_off(nomination, manager, account_owner):
    _qualified(nomination, manager)
    task = Task.objects.get(nomination=nomination)
    with pytest.raises(InvalidInput, match="give or refuse consent"):
        task_complete(task_id=task.pk, actor=account_owner)


def test_qualification_creates_the_reference_with_its_recruitment_tasks(
    nomination, manager, account_owner, sales_rep
):
    _qualified(nomination, manager)
    nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True)
    assert _told(NOMINATION_CONSENT_ANSWERED, manager)
    assert Task.objects.get(nomination=nomination).status == Task.Status.DONE  # the consent task

    accepted = nomination_accept(nomination_id=nomination.pk, actor=manager, persona=factories.persona())

    contact = accepted.contact
    assert accepted.status == S.ACCEPTED and accepted.decided_by == manager
    assert (contact.first_name, contact.last_name, contact.title) == ("Nina", "Newcomer", "CIO")
    assert contact.email == "nina@globex.test" and contact.account == nomination.account
    assert contact.status == ReferenceStatus.ACTIVE
    assert [t.code for t in contact.preferences.activity_types.all()] == ["reference_call"]
    recruitment = Task.objects.filter(nomination=nomination, status=Task.Status.OPEN).order_by("pk")
    assert [t.title for t in recruitment] == [title.format(name="Nina Newcomer") for title, _ in RECRUITMENT]
    assert all(t.assignee == manager and t.assignee_role == StepRole.MANAGER for t in recruitment)
    assert _told(NOMINATION_DECIDED, sales_rep)
    # A recruitment task is ticked off on My tasks like any other.
    assert task_complete(task_id=recruitment[0].pk, actor=manager).status == Task.Status.DONE


def test_accepting_an_existing_contact_activates_them_through_the_status_service(
    sales_rep, account, manager, account_owner
):
    person = factories.make_contact(account, first_name="Cara", status=ReferenceStatus.CANDIDATE)
    nomination = nomination_submit(nominator=sales_rep, account=account, contact=person, reason="A fan.")
    _qualified(nomination, manager)
    nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True)

    nomination_accept(nomination_id=nomination.pk, actor=manager)

    person.refresh_from_db()
    assert person.status == ReferenceStatus.ACTIVE
    change = StatusChange.objects.get(contact=person)
    assert change.changed_by == manager and f"#{nomination.pk}" in change.reason
    assert Contact.objects.filter(account=account).count() == 1  # no second contact


def test_an_opted_out_contact_is_not_made_a_reference(sales_rep, account, manager, account_owner):
    person = factories.make_contact(
        account, status=ReferenceStatus.CANDIDATE, prefs={"opted_out": True, "opted_out_at": timezone.now()}
    )
    nomination = nomination_submit(nominator=sales_rep, account=account, contact=person, reason="A fan.")
    _qualified(nomination, manager)
    nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True)
    with pytest.raises(InvalidInput, match="opted out"):
        nomination_accept(nomination_id=nomination.pk, actor=manager)
    person.refresh_from_db()
    assert person.status == ReferenceStatus.CANDIDATE
    assert Nomination.objects.get(pk=nomination.pk).status == S.QUALIFYING


def test_accepting_waits_for_the_owners_consent_unless_a_manager_answers_for_them(
    nomination, manager, account_owner
):
    _qualified(nomination, manager)
    with pytest.raises(InvalidInput, match="not given consent"):
        nomination_accept(nomination_id=nomination.pk, actor=manager, persona=factories.persona())

    nomination_consent(nomination_id=nomination.pk, actor=manager, give=True, on_behalf=True, note="Away.")
    answered = Nomination.objects.get(pk=nomination.pk)
    assert answered.owner_consent_by == manager and answered.owner_consent_note.startswith(
        "On behalf of Olivia"
    )
    assert nomination_accept(
        nomination_id=nomination.pk, actor=manager, persona=factories.persona()
    ).is_accepted


def test_only_the_owner_answers_and_a_refusal_says_why(nomination, manager, other_rep, account_owner):
    _qualified(nomination, manager)
    with pytest.raises(NotAllowed):
        nomination_consent(nomination_id=nomination.pk, actor=other_rep, give=True)
    with pytest.raises(InvalidInput, match="why"):
        nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=False)
    nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=False, note="Renewal is tense.")
    with pytest.raises(Conflict):
        nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True)
    with pytest.raises(InvalidInput):
        nomination_accept(nomination_id=nomination.pk, actor=manager, persona=factories.persona())


def test_a_decline_keeps_its_reason_for_the_nominator_and_closes_the_tasks(nomination, manager, sales_rep):
    _qualified(nomination, manager)
    with pytest.raises(InvalidInput) as refused:
        nomination_decline(nomination_id=nomination.pk, actor=manager, reason="  ")
    assert refused.value.field == "reason"

    declined = nomination_decline(nomination_id=nomination.pk, actor=manager, reason="Open escalations.")

    assert declined.status == S.REJECTED and declined.decision_note == "Open escalations."
    assert not Task.objects.filter(nomination=nomination, status=Task.Status.OPEN).exists()
    [told] = _told(NOMINATION_DECIDED, sales_rep)
    assert "Open escalations." in told.body
    assert open_nominations_count(manager) == 0


def test_whoever_moves_second_gets_a_conflict_naming_who_moved_first(nomination, manager):
    nomination_decline(nomination_id=nomination.pk, actor=manager, reason="Not now.")
    with pytest.raises(Conflict, match="declined by Maria Manager"):
        nomination_qualify(nomination_id=nomination.pk, actor=manager, expected_status=S.SUBMITTED)
    with pytest.raises(Conflict):
        nomination_decline(nomination_id=nomination.pk, actor=manager, reason="Again.")


def test_only_managers_move_nominations(nomination, sales_rep):
    with pytest.raises(NotAllowed):
        nomination_qualify(nomination_id=nomination.pk, actor=sales_rep)
    with pytest.raises(NotAllowed):
        nomination_decline(nomination_id=nomination.pk, actor=sales_rep, reason="Mine.")


def test_a_task_is_for_a_request_or_a_nomination_never_neither(manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            title="Orphan", assignee_role=StepRole.MANAGER, due_at=timezone.now() + timedelta(days=1)
        )


def test_nomination_tasks_get_reminders_like_any_task(nomination, manager, account_owner):
    _qualified(nomination, manager)
    task = Task.objects.get(nomination=nomination)
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert task_reminders() == 1
    [reminder] = _told(TASK_OVERDUE, account_owner)
    assert f"nomination #{nomination.pk}" in reminder.title


def test_a_new_account_owner_takes_over_the_consent_task(nomination, manager, account_owner, other_rep):
    _qualified(nomination, manager)
    account_owner_reassign(
        account=nomination.account, owner=other_rep, reason="Territory change.", actor=manager
    )

    assert Task.objects.get(nomination=nomination).assignee == other_rep
    with pytest.raises(NotAllowed):
        nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True)
    assert nomination_consent(nomination_id=nomination.pk, actor=other_rep, give=True).consent_cleared


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_moving_at_once_move_it_once(nomination, manager, account_owner):
    second = factories.make_user("mo", Role.MANAGER, first_name="Mo", last_name="Second")
    results = race(
        [
            lambda: nomination_qualify(
                nomination_id=nomination.pk, actor=manager, expected_status=S.SUBMITTED
            ),
            lambda: nomination_qualify(
                nomination_id=nomination.pk, actor=second, expected_status=S.SUBMITTED
            ),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Nomination"]
    assert Task.objects.filter(nomination=nomination).count() == 1
    assert len(_told(NOMINATION_CONSENT_ASKED, account_owner)) == 1


def test_the_consent_task_goes_with_the_account_not_by_reassigning(
    nomination, manager, account_owner, other_rep
):
    """Only the account's owner answers the consent (or a manager on their behalf): handing the
    task to another rep would leave it with someone whose answer is refused and take the owner's
    page away from the owner. The owner changes with the account (`account_owner_reassign`)."""
    from workflows.tasking import task_reassign

    _qualified(nomination, manager)
    task = Task.objects.get(nomination=nomination)

    with pytest.raises(InvalidInput, match="account"):
        task_reassign(task_id=task.pk, actor=manager, assignee=other_rep)

    assert Task.objects.get(pk=task.pk).assignee == account_owner
    assert nomination_consent(nomination_id=nomination.pk, actor=account_owner, give=True).consent_cleared
