"""The consent ledger and the preference services: an entry for every consent a change gives or
withdraws, by the portal and by staff, none for anything else, never changed afterwards; and who
is told about a contact's own changes."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import InvalidInput
from customers import preferences as portal
from customers.preferences import PREFERENCES_CHANGED
from notifications.kinds import Channel
from notifications.models import Notification
from references.consent import ACTIVITY_TYPE, PROGRAM
from references.models import BlackoutPeriod, ConsentEntry, ConsentMethod, ConsentSubject
from references.services import ConsentSource, contact_update, preferences_update
from references.services.preferences import pauses_end
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


def _entries(contact):
    return list(ConsentEntry.objects.filter(contact=contact).order_by("id"))


def _form(contact, **changes):
    """What the portal's preferences form sends, unchanged unless told."""
    preferences = contact.preferences
    values = {
        "activity_types": list(preferences.activity_types.all()),
        "own_cap_per_quarter": preferences.own_cap_per_quarter,
        "preferred_channel": preferences.preferred_channel,
        "topics_to_avoid": preferences.topics_to_avoid or "",
        "wants_in_return": preferences.wants_in_return,
        "language": "en",
        "time_zone": contact.time_zone,
    }
    return {**values, **changes}


def test_the_portal_records_each_activity_type_given_and_withdrawn(customer_contact):
    call, visit = factories.activity_type("reference_call"), factories.activity_type("site_visit")
    portal.preferences_change(contact=customer_contact, **_form(customer_contact, activity_types=[visit]))

    entries = _entries(customer_contact)
    assert [(e.subject, e.activity_type, e.given) for e in entries] == [
        (ConsentSubject.ACTIVITY_TYPE, visit, True),
        (ConsentSubject.ACTIVITY_TYPE, call, False),
    ]
    assert {e.method for e in entries} == {ConsentMethod.PORTAL}
    assert {e.wording_version for e in entries} == {ACTIVITY_TYPE.version}
    assert {e.recorded_by for e in entries} == {None}


def test_stop_asking_me_and_taking_part_again_are_program_consents(customer_contact):
    portal.opt_out(contact=customer_contact)
    portal.opt_in(contact=customer_contact)

    entries = _entries(customer_contact)
    assert [(e.subject, e.given, e.method) for e in entries] == [
        (ConsentSubject.PROGRAM, False, ConsentMethod.PORTAL),
        (ConsentSubject.PROGRAM, True, ConsentMethod.PORTAL),
    ]
    assert entries[0].wording_version == PROGRAM.version
    customer_contact.preferences.refresh_from_db()
    assert not customer_contact.preferences.opted_out
    assert customer_contact.preferences.consent_given_at >= entries[1].recorded_at - timedelta(seconds=1)


def test_a_managers_edit_records_the_consents_it_changes_with_the_manager(customer_contact, manager):
    visit = factories.activity_type("site_visit")
    preferences = {"activity_types": [factories.activity_type("reference_call"), visit], "opted_out": True}
    contact_update(
        contact=customer_contact, preferences=preferences, consent=ConsentSource.staff(manager), title="CTO"
    )

    entries = _entries(customer_contact)
    assert [(e.subject, e.activity_type, e.given) for e in entries] == [
        (ConsentSubject.PROGRAM, None, False),
        (ConsentSubject.ACTIVITY_TYPE, visit, True),
    ]
    assert {(e.method, e.recorded_by) for e in entries} == {(ConsentMethod.STAFF, manager)}


def test_changes_that_are_not_consents_write_no_entry(customer_contact, manager):
    portal.preferences_change(
        contact=customer_contact,
        **_form(
            customer_contact, own_cap_per_quarter=2, preferred_channel="video", topics_to_avoid="pricing"
        ),
    )
    portal.pause(contact=customer_contact, days=10)
    portal.unpause(contact=customer_contact)
    portal.blackout_add(contact=customer_contact, start=timezone.localdate(), end=timezone.localdate())
    preferences_update(contact=customer_contact, consent=ConsentSource.staff(manager), wants_in_return="beta")

    assert _entries(customer_contact) == []


def test_the_ledger_is_never_changed(customer_contact):
    portal.opt_out(contact=customer_contact)
    first = _entries(customer_contact)[0]
    portal.opt_in(contact=customer_contact)
    portal.opt_out(contact=customer_contact)

    again = ConsentEntry.objects.get(pk=first.pk)
    assert (again.given, again.recorded_at, again.method) == (first.given, first.recorded_at, first.method)
    assert len(_entries(customer_contact)) == 3
    with pytest.raises(TypeError):
        ConsentEntry.objects.filter(contact=customer_contact).update(given=True)
    with pytest.raises(TypeError):
        ConsentEntry.objects.filter(contact=customer_contact).delete()


def test_an_entry_itself_is_never_saved_again_nor_deleted(customer_contact):
    """Not through the row either: save() of an entry read back and delete() of one refuse, and
    so does bulk_update (it goes through the queryset's update)."""
    portal.opt_out(contact=customer_contact)
    entry = _entries(customer_contact)[0]
    entry.given = True
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.save(update_fields=["given"])
    with pytest.raises(TypeError), transaction.atomic():  # its own atomic block is broken by the refusal
        ConsentEntry.objects.bulk_update([entry], ["given"])
    with pytest.raises(TypeError):
        entry.delete()
    again = ConsentEntry.objects.get(pk=entry.pk)
    assert again.given is False and ConsentEntry.objects.filter(contact=customer_contact).count() == 1


def test_the_ledger_still_lets_the_recorder_and_the_contact_go(customer_contact, manager):
    """What the database does for the rows around it still works: deleting the staff user who
    recorded an entry keeps the entry (without them); deleting a contact (administrators only)
    takes their entries along, as the model says."""
    contact_update(
        contact=customer_contact, preferences={"opted_out": True}, consent=ConsentSource.staff(manager)
    )
    [entry] = _entries(customer_contact)
    manager.delete()
    assert ConsentEntry.objects.get(pk=entry.pk).recorded_by is None
    customer_contact.delete()
    assert not ConsentEntry.objects.filter(pk=entry.pk).exists()


def test_a_refused_change_writes_no_entry(customer_contact):
    with pytest.raises(InvalidInput):
        portal.preferences_change(
            contact=customer_contact,
            **_form(customer_contact, activity_types=[], own_cap_per_quarter=10_000),
        )
    assert _entries(customer_contact) == []


def test_a_pause_ends_after_its_last_day_once(customer_contact):
    until = portal.pause(contact=customer_contact, days=3)
    assert until == timezone.localdate() + timedelta(days=3)

    assert pauses_end(today=until) == 0  # its last day: still paused
    assert pauses_end(today=until + timedelta(days=1)) == 1
    assert pauses_end(today=until + timedelta(days=1)) == 0  # a second run finds nothing
    customer_contact.preferences.refresh_from_db()
    assert not customer_contact.preferences.paused_by_contact
    assert customer_contact.preferences.paused_until is None


def test_ending_a_pause_by_hand_forgets_its_end(customer_contact, manager):
    portal.pause(contact=customer_contact, days=30)
    preferences = preferences_update(
        contact=customer_contact, consent=ConsentSource.staff(manager), paused_by_contact=False
    )
    assert preferences.paused_until is None
    with pytest.raises(InvalidInput):
        preferences_update(contact=customer_contact, paused_until=timezone.localdate())


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_a_pause_lasts_one_to_365_days(customer_contact, days):
    with pytest.raises(InvalidInput):
        portal.pause(contact=customer_contact, days=days)
    customer_contact.preferences.refresh_from_db()
    assert not customer_contact.preferences.paused_by_contact


def test_blackouts_are_checked(customer_contact):
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        portal.blackout_add(contact=customer_contact, start=today, end=today - timedelta(days=1))
    with pytest.raises(InvalidInput):
        portal.blackout_add(contact=customer_contact, start=today, end=today, reason="x" * 201)
    assert not BlackoutPeriod.objects.filter(contact=customer_contact).exists()


def test_the_managers_and_the_owner_are_told_what_the_contact_changed(
    customer_contact, manager, second_manager, account_owner
):
    portal.preferences_change(
        contact=customer_contact, **_form(customer_contact, activity_types=[], own_cap_per_quarter=1)
    )

    rows = Notification.objects.filter(kind=PREFERENCES_CHANGED.code, channel=Channel.IN_APP)
    assert {row.user for row in rows} == {manager, second_manager, account_owner}
    row = rows.first()
    assert customer_contact.full_name in row.title
    assert "No longer willing to do: Reference call." in row.body
    assert "Cap per quarter: none → 1." in row.body
    assert row.link == f"/manage/contacts/{customer_contact.pk}/"


def test_a_stewarding_manager_is_told_instead_of_every_manager(
    customer_contact, manager, second_manager, account_owner
):
    customer_contact.account.stewards.set([second_manager])
    portal.opt_out(contact=customer_contact)

    rows = Notification.objects.filter(kind=PREFERENCES_CHANGED.code, channel=Channel.IN_APP)
    assert {row.user for row in rows} == {second_manager, account_owner}
    assert "Opted out" in rows.first().body


def test_nothing_changed_tells_nobody(customer_contact, manager):
    portal.preferences_change(contact=customer_contact, **_form(customer_contact))
    assert not Notification.objects.filter(kind=PREFERENCES_CHANGED.code).exists()


def test_staff_edits_tell_nobody(customer_contact, manager, second_manager):
    contact_update(
        contact=customer_contact, preferences={"opted_out": True}, consent=ConsentSource.staff(manager)
    )
    assert not Notification.objects.filter(kind=PREFERENCES_CHANGED.code).exists()
