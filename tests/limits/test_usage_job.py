"""The periodic job on a hand-built program: who moves into and out of resting, what it stores,
who is told — and that a second run changes nothing."""

from datetime import date, timedelta

import pytest

from limits.models import ContactUsage, LimitRule, LimitRun
from limits.services import limit_check
from limits.usage import usage_recompute
from notifications.models import Notification
from references.models import BlackoutPeriod, Contact, ParticipationPreferences, StatusChange
from references.services import contact_change_status
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)  # a fixed day: windows and quarters do not depend on when tests run


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def status_of(contact: Contact) -> str:
    return Contact.objects.values_list("status", flat=True).get(pk=contact.pk)


def snapshot() -> tuple:
    """Everything the job writes, to compare two runs."""
    return (
        list(ContactUsage.objects.order_by("pk").values()),
        list(Contact.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        StatusChange.objects.count(),
        Notification.objects.count(),
        LimitRun.objects.count(),
    )


@pytest.fixture
def program(policy, manager, account_owner):
    """Contacts in every situation the job distinguishes, each at an account of the account owner,
    and three contacts sharing the six slots of one account of the manager's."""
    globex = factories.make_account(manager, name="Globex")
    people = {
        name: factories.make_contact(
            factories.make_account(account_owner, name=f"{name} Inc"), first_name=name
        )
        for name in ("Full", "Near", "Idle", "Capped", "Manual")
    }
    for n in (80, 60, 40, 20):
        factories.make_activity(people["Full"], ago(n))
    for n in (70, 50, 30):
        factories.make_activity(people["Near"], ago(n))
    factories.make_activity(people["Idle"], ago(120))
    ParticipationPreferences.objects.filter(contact=people["Capped"]).update(own_cap_per_quarter=1)
    factories.make_activity(people["Capped"], date(2026, 4, 2))
    contact_change_status(
        contact=people["Manual"], to_status="resting", reason="Asked for a break", actor=manager
    )
    # Globex: three contacts sharing the account's six slots.
    for i in range(3):
        shared = factories.make_contact(globex, first_name=f"Shared{i}", last_name="Globex")
        factories.make_activity(shared, ago(65 - i))
        factories.make_activity(shared, ago(25 - i))
        people[f"Shared{i}"] = shared
    return people


def test_contacts_at_a_limit_move_to_resting_with_the_reason(program, manager):
    result = usage_recompute(today=TODAY)

    assert (result.reached, result.rested) == (5, 5)
    resting = {name for name, c in program.items() if status_of(c) == "resting"}
    assert resting == {"Full", "Capped", "Manual", "Shared0", "Shared1", "Shared2"}
    change = StatusChange.objects.filter(contact=program["Full"]).get()
    assert (change.from_status, change.to_status, change.changed_by) == ("active", "resting", None)
    assert change.reason.startswith("Burnout limit")
    capped = StatusChange.objects.get(contact=program["Capped"])
    assert "own cap" in capped.reason
    assert "account reached" in StatusChange.objects.get(contact=program["Shared0"]).reason


def test_the_stored_usage_agrees_with_the_check_for_one_contact(program):
    usage_recompute(today=TODAY)
    call = factories.activity_type()

    for name in ("Full", "Near", "Capped", "Shared1"):
        contact = Contact.objects.select_related("account").get(pk=program[name].pk)
        stored = ContactUsage.objects.get(contact=contact)
        check = limit_check(contact=contact, activity_type=call, on_date=TODAY)
        assert stored.slots_left == check.slots_left, name
        assert (stored.available_from or TODAY) == check.available_from, name
        assert (stored.state == "limited") == (not check.ok), name
    assert ContactUsage.objects.get(contact=program["Full"]).limit_code == "contact_window"
    assert ContactUsage.objects.get(contact=program["Capped"]).limit_code == "own_cap"
    assert ContactUsage.objects.get(contact=program["Shared0"]).limit_code == "account_window"
    near = ContactUsage.objects.get(contact=program["Near"])
    assert (near.state, near.used, near.slots_left) == ("near", 3, 1)
    assert not ContactUsage.objects.filter(contact=program["Idle"]).exists()  # nothing in the window


def test_running_twice_changes_nothing_the_second_time(program):
    usage_recompute(today=TODAY)
    after_first = snapshot()

    second = usage_recompute(today=TODAY)

    assert not second.changed_anything and second.run_id is None
    assert snapshot() == after_first


def test_contacts_freed_by_the_window_go_back_to_active_but_not_those_a_manager_rested(program):
    usage_recompute(today=TODAY)
    later = TODAY + timedelta(days=75)  # every activity above has left the window by then

    result = usage_recompute(today=later)

    assert result.reactivated == 5 and result.freed == 5
    assert status_of(program["Full"]) == "active"
    assert status_of(program["Manual"]) == "resting"  # not ours to undo
    back = StatusChange.objects.filter(contact=program["Full"]).order_by("pk").last()
    assert (back.from_status, back.to_status) == ("resting", "active")
    assert back.reason == "Burnout limit: a slot is free again"
    assert not usage_recompute(today=later).changed_anything


def test_managers_and_account_owners_are_told_who_changed(program, manager, account_owner):
    result = usage_recompute(today=TODAY)

    to_manager = Notification.objects.get(user=manager, channel="in_app", kind="limit_changes")
    assert to_manager.key == f"limits:{result.run_id}"
    assert to_manager.title == "Burnout limits: 5 reached a limit, 1 near one"
    assert "Full Reference" in to_manager.body and "(Full Inc)" in to_manager.body
    to_owner = Notification.objects.get(user=account_owner, channel="in_app", kind="limit_changes")
    assert to_owner.title == "Burnout limits: 2 reached a limit, 1 near one"
    assert "Globex" not in to_owner.body


def test_each_recipient_of_the_summaries_gets_them_as_they_chose(program, manager, account_owner):
    from notifications.models import NotificationPreference

    NotificationPreference.objects.create(user=account_owner, kind="limit_changes", delivery="email")

    usage_recompute(today=TODAY)

    owner_rows = Notification.objects.filter(user=account_owner, kind="limit_changes")
    manager_rows = Notification.objects.filter(user=manager, kind="limit_changes")
    assert list(owner_rows.values_list("channel", "status")) == [("email", "pending")]
    assert sorted(manager_rows.values_list("channel", "status")) == [("email", "held"), ("in_app", "sent")]


def test_a_stricter_rule_and_a_blackout_in_the_stored_usage(policy, account_owner):
    account = factories.make_account(account_owner)
    ruled = factories.make_contact(account)
    LimitRule.objects.create(contact=ruled, contact_max=2, rest_days=30)
    factories.make_activity(ruled, ago(50))
    factories.make_activity(ruled, ago(20))
    BlackoutPeriod.objects.create(contact=ruled, start=ago(1), end=TODAY + timedelta(days=100))

    usage_recompute(today=TODAY)

    stored = ContactUsage.objects.get(contact=ruled)
    assert (stored.state, stored.limit_code, stored.slots_left) == ("limited", "contact_rule", 0)
    assert stored.available_from == ago(50) + timedelta(days=90)  # the blackout is read live
    assert status_of(ruled) == "resting"


def test_an_approved_request_counts_in_the_stored_usage(policy, sales_rep, manager, account_owner):
    from tests.builders.requests import drive_to, make_request

    contact = factories.make_contact(factories.make_account(account_owner))
    today = date.today()
    for n in (80, 60, 40):
        factories.make_activity(contact, today - timedelta(days=n))
    drive_to(make_request(sales_rep, contact), "awaiting_owner", contact, manager)

    usage_recompute(today=today)

    stored = ContactUsage.objects.get(contact=contact)
    assert (stored.used, stored.state) == (4, "limited")
    assert stored.available_from == today - timedelta(days=80) + timedelta(days=90)


def test_an_own_cap_of_zero_gives_no_day_the_contact_is_free(policy, account_owner):
    contact = factories.make_contact(factories.make_account(account_owner), prefs={"own_cap_per_quarter": 0})
    factories.make_activity(contact, ago(30))

    usage_recompute(today=TODAY)

    stored = ContactUsage.objects.get(contact=contact)
    check = limit_check(contact=contact, activity_type=factories.activity_type(), on_date=TODAY)
    assert (stored.state, stored.limit_code, stored.available_from) == ("limited", "own_cap", None)
    assert not check.ok and check.available_from is None


def test_an_activity_dated_centuries_ahead_by_mistake_does_not_stop_the_job(policy, account_owner):
    contact = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(contact, date(2602, 5, 20))  # 2026 mistyped

    first, again = usage_recompute(today=date(2026, 5, 20)), usage_recompute(today=date(2026, 5, 20))

    assert first.rows_written == 1 and not again.changed_anything
    assert ContactUsage.objects.get(contact=contact).used == 1


def test_a_contact_who_used_nothing_rests_while_their_account_is_at_its_limit(program, manager):
    """The account's six slots are used by its other contacts: a fourth contact is held back too."""
    quiet = factories.make_contact(program["Shared0"].account, first_name="Quiet", last_name="Globex")
    call = factories.activity_type()

    usage_recompute(today=TODAY)

    stored = ContactUsage.objects.get(contact=quiet)
    assert (stored.used, stored.state, stored.limit_code, stored.slots_left) == (
        0,
        "limited",
        "account_window",
        0,
    )
    assert (
        stored.available_from == limit_check(contact=quiet, activity_type=call, on_date=TODAY).available_from
    )
    assert status_of(quiet) == "resting"

    later = TODAY + timedelta(days=75)  # the account's uses have left the window
    usage_recompute(today=later)
    assert status_of(quiet) == "active"
    assert not ContactUsage.objects.filter(contact=quiet).exists()  # nothing used, every slot free


def test_a_contact_whose_own_cap_is_0_is_stored_at_their_limit_though_they_used_nothing(
    policy, account_owner
):
    contact = factories.make_contact(factories.make_account(account_owner), prefs={"own_cap_per_quarter": 0})

    usage_recompute(today=TODAY)

    stored = ContactUsage.objects.get(contact=contact)
    assert (stored.used, stored.state, stored.limit_code, stored.available_from) == (
        0,
        "limited",
        "own_cap",
        None,
    )
