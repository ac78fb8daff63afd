"""Reference status changes: every change is locked, reasoned and recorded."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction

from core.errors import InvalidInput
from references import services
from references.models import Account, Contact, StatusChange
from tests.builders import catalogue as factories


def test_account_status_change_writes_history(customer_account, manager):
    account = services.account_change_status(
        account=customer_account, to_status="paused", reason="Renewal under negotiation", actor=manager
    )

    assert account.status == "paused"
    customer_account.refresh_from_db()
    assert customer_account.status == "paused"
    change = StatusChange.objects.get()
    assert (change.account, change.contact) == (customer_account, None)
    assert (change.from_status, change.to_status) == ("active", "paused")
    assert change.reason == "Renewal under negotiation"
    assert change.changed_by == manager
    assert change.changed_at is not None


def test_contact_status_change_writes_history(customer_contact, manager):
    services.contact_change_status(
        contact=customer_contact, to_status="retired", reason="Left the company", actor=manager
    )

    customer_contact.refresh_from_db()
    assert customer_contact.status == "retired"
    change = StatusChange.objects.get()
    assert (change.contact, change.account) == (customer_contact, None)
    assert (change.from_status, change.to_status, change.changed_by) == ("active", "retired", manager)


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_empty_reason_is_refused_and_changes_nothing(customer_account, manager, reason):
    with pytest.raises(InvalidInput) as refused:
        services.account_change_status(
            account=customer_account, to_status="paused", reason=reason, actor=manager
        )

    assert refused.value.field == "reason"
    customer_account.refresh_from_db()
    assert customer_account.status == "active"
    assert not StatusChange.objects.exists()


def test_unknown_status_is_refused(customer_contact, manager):
    with pytest.raises(InvalidInput) as refused:
        services.contact_change_status(
            contact=customer_contact, to_status="vip", reason="Why not", actor=manager
        )

    assert refused.value.field == "to_status"
    customer_contact.refresh_from_db()
    assert customer_contact.status == "active"
    assert not StatusChange.objects.exists()


def test_unchanged_status_is_refused_without_history(customer_account, manager):
    with pytest.raises(InvalidInput) as refused:
        services.account_change_status(
            account=customer_account, to_status="active", reason="Still", actor=manager
        )

    assert refused.value.field == "to_status"
    assert not StatusChange.objects.exists()


def test_status_is_read_under_the_lock_not_from_the_stale_object(customer_account, manager):
    stale = Account.objects.get(pk=customer_account.pk)
    services.account_change_status(account=customer_account, to_status="paused", reason="One", actor=manager)

    # The stale copy still says "active"; the service must compare with the database, not with it.
    with pytest.raises(InvalidInput):
        services.account_change_status(account=stale, to_status="paused", reason="Two", actor=manager)
    assert StatusChange.objects.count() == 1


def test_bulk_change_records_each_changed_row_and_skips_unchanged(account_owner, manager):
    active = [factories.make_account(account_owner) for _ in range(3)]
    already = factories.make_account(account_owner, status="at_risk")

    result = services.account_bulk_change_status(
        accounts=Account.objects.all(), to_status="at_risk", reason="Escalation open", actor=manager
    )

    assert sorted(a.pk for a in result.changed) == sorted(a.pk for a in active)
    assert [a.pk for a in result.unchanged] == [already.pk]
    assert set(Account.objects.values_list("status", flat=True)) == {"at_risk"}
    history = StatusChange.objects.all()
    assert sorted(h.account_id for h in history) == sorted(a.pk for a in active)
    assert {(h.from_status, h.to_status, h.reason, h.changed_by_id) for h in history} == {
        ("active", "at_risk", "Escalation open", manager.pk)
    }


def test_bulk_change_of_contacts_accepts_a_list(customer_account, manager):
    contacts = [factories.make_contact(customer_account) for _ in range(2)]

    result = services.contact_bulk_change_status(
        contacts=contacts, to_status="resting", reason="Quarter close", actor=manager
    )

    assert len(result.changed) == 2
    assert set(Contact.objects.values_list("status", flat=True)) == {"resting"}
    assert StatusChange.objects.filter(contact__in=contacts, to_status="resting").count() == 2


def test_bulk_change_with_empty_reason_changes_none(account_owner, manager):
    factories.make_account(account_owner)
    factories.make_account(account_owner)

    with pytest.raises(InvalidInput):
        services.account_bulk_change_status(
            accounts=Account.objects.all(), to_status="paused", reason=" ", actor=manager
        )

    assert set(Account.objects.values_list("status", flat=True)) == {"active"}
    assert not StatusChange.objects.exists()


def test_database_refuses_an_invalid_status(customer_account, customer_contact):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=customer_account.pk).update(status="vip")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=customer_contact.pk).update(status="")


def test_database_refuses_history_without_a_reason(customer_account):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            account=customer_account, from_status="active", to_status="paused", reason=""
        )


def test_database_refuses_history_about_two_subjects(customer_contact):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            account=customer_contact.account,
            contact=customer_contact,
            from_status="active",
            to_status="paused",
            reason="Both",
        )


def _wait_until_a_session_waits_for_a_lock(timeout: float = 5.0) -> bool:
    with connection.cursor() as cursor:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # pg_locks is live; pg_stat_activity would be a snapshot frozen for our open transaction.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_changes_to_the_same_status_record_it_once(account_owner, manager):
    account = factories.make_account(account_owner)
    outcome: dict[str, object] = {}

    def second_admin() -> None:
        try:
            services.account_change_status(
                account=account, to_status="paused", reason="Second", actor=manager
            )
            outcome["second"] = "changed"
        except InvalidInput as refused:
            outcome["second"] = refused.field
        finally:
            connections.close_all()

    with transaction.atomic():
        services.account_change_status(account=account, to_status="paused", reason="First", actor=manager)
        other = threading.Thread(target=second_admin)
        other.start()
        # Commit only once the second change is blocked on our row lock.
        assert _wait_until_a_session_waits_for_a_lock()
    other.join(timeout=10)

    # Having waited for the lock, the second change sees "paused" and is refused: one history row.
    assert outcome == {"second": "to_status"}
    assert list(StatusChange.objects.values_list("reason", flat=True)) == ["First"]


def _moves_table(rows) -> None:
    """A temporary table of moves, as a system job builds one (contact, from, to, why)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS test_moves")
        cursor.execute(
            "CREATE TEMP TABLE test_moves (contact_id bigint, from_status varchar(20), "
            "to_status varchar(20), why varchar(100))"
        )
        cursor.executemany("INSERT INTO test_moves VALUES (%s, %s, %s, %s)", rows)


@pytest.mark.django_db
def test_moves_from_a_table_change_each_status_once_with_its_history(account_owner):
    account = factories.make_account(account_owner)
    tired, back, moved_by_hand = (factories.make_contact(account) for _ in range(3))
    Contact.objects.filter(pk=back.pk).update(status="resting")
    Contact.objects.filter(pk=moved_by_hand.pk).update(status="paused")  # no longer in its from status
    _moves_table(
        [
            (tired.pk, "active", "resting", "full"),
            (back.pk, "resting", "active", "freed"),
            (moved_by_hand.pk, "active", "resting", "full"),
        ]
    )

    with transaction.atomic():
        moved = services.contact_moves_apply(
            moves="test_moves",
            reason_sql="CASE m.why WHEN %(full)s THEN %(rested)s ELSE %(freed)s END",
            params={"full": "full", "rested": "Reached a limit", "freed": "A slot is free again"},
        )

    assert moved == {"resting": 1, "active": 1}
    statuses = dict(Contact.objects.filter(account=account).values_list("pk", "status"))
    assert statuses == {tired.pk: "resting", back.pk: "active", moved_by_hand.pk: "paused"}
    history = StatusChange.objects.order_by("contact_id")
    assert list(history.values_list("contact_id", "from_status", "to_status", "reason", "changed_by")) == [
        (tired.pk, "active", "resting", "Reached a limit", None),
        (back.pk, "resting", "active", "A slot is free again", None),
    ]
    assert services.contact_moves_apply(moves="test_moves", reason_sql="'again'") == {}
