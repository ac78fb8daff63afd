"""Give-back: recording and removing it, asks against give-back, and the program's list of
contacts asked a lot and given little — exact on a hand-built program."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import InvalidInput, NotAllowed
from customers.erasure.services import contact_erase, erasure_ask
from customers.export import contact_export
from customers.giveback import (
    asked_much_given_little,
    balance_of,
    giveback_record,
    giveback_remove,
    owed_count,
    window_start,
)
from customers.models import GiveBack
from customers.statuses import GiveBackKind
from references.statuses import ReferenceStatus
from requests_app.statuses import RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db


def _days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def _contact(owner, last_name: str, **fields):
    """A contact at their own account (the per-account limits never bind between them)."""
    return catalogue.make_contact(catalogue.make_account(owner), last_name=last_name, **fields)


def _did(contact, *days_ago: int) -> None:
    # Older than the 90-day limit window, so asking them again is never refused.
    for n in days_ago:
        catalogue.make_activity(contact, _days_ago(n))


def _gave(contact, manager, *days_ago: int) -> None:
    for n in days_ago:
        giveback_record(contact=contact, kind=GiveBackKind.BETA_SEAT, given_on=_days_ago(n), actor=manager)


@pytest.fixture
def program(account_owner, manager, sales_rep):
    """Asks (activities, requests that reached them) and give-back, counted by hand below."""
    people = {name: _contact(account_owner, name) for name in ("Adams", "Baker", "Clark", "Dunn", "Ellis")}
    people |= {name: _contact(account_owner, name) for name in ("Fox", "Green")}
    people["Retired"] = _contact(account_owner, "Retired", status=ReferenceStatus.RETIRED)
    _did(people["Adams"], 100, 120, 140, 160)  # asks 4, given 0
    _did(people["Baker"], 100, 120, 140)  # + one ask in flight below: asks 4, given 1
    _gave(people["Baker"], manager, 10)
    _did(people["Clark"], 100, 200)  # asks 2, given 2: not owed anything
    _gave(people["Clark"], manager, 5, 50)
    _did(people["Dunn"], 400, 420, 440, 460, 480)  # all before the window
    _did(people["Ellis"], 100)  # asks 1: under the default minimum
    _did(people["Green"], 100, 120)  # asks 2; the give-back is before the window
    _gave(people["Green"], manager, 400)
    _did(people["Retired"], 100, 120, 140)
    # Baker's ask has reached them (customer asked); Fox's request is done: its activity counts
    # once, not as a request too.
    drive_to(make_request(sales_rep, people["Baker"]), RequestStatus.CUSTOMER_ASKED, people["Baker"], manager)
    drive_to(make_request(sales_rep, people["Fox"]), RequestStatus.COMPLETED, people["Fox"], manager)
    _did(people["Fox"], 150)  # asks 2
    return people


def _rows(user, **filters):
    return [(c.last_name, c.asks, c.given, c.owed) for c in asked_much_given_little(user, **filters)]


def test_the_list_ranks_by_asks_minus_given_back_then_asks_then_name(program, manager):
    assert _rows(manager) == [
        ("Adams", 4, 0, 4),
        ("Baker", 4, 1, 3),
        ("Fox", 2, 0, 2),
        ("Green", 2, 0, 2),
    ]
    assert owed_count(manager) == 4


def test_the_window_and_the_minimum_asks_filter_the_list(program, manager):
    assert _rows(manager, min_asks=1)[-1] == ("Ellis", 1, 0, 1)
    assert [row[0] for row in _rows(manager, min_asks=4)] == ["Adams", "Baker"]
    # Over 24 months Dunn's asks count, and Green's give-back answers one of theirs.
    assert _rows(manager, months=24)[0] == ("Dunn", 5, 0, 5)
    assert ("Green", 2, 1, 1) in _rows(manager, months=24)
    # Over 3 months nobody was asked twice (the activities are older; Baker's ask is today's).
    assert _rows(manager, months=3) == []


def test_someone_outside_the_program_sees_nobody(program, sales_rep):
    assert _rows(sales_rep) == []


def test_one_contacts_balance_counts_like_the_list(program):
    balance = balance_of(program["Baker"])
    assert (balance.activities, balance.in_flight, balance.asks, balance.given) == (3, 1, 4, 1)


def test_window_start_is_the_same_day_months_before_or_the_months_last_day():
    assert window_start(12, date(2026, 12, 5)) == date(2025, 12, 5)
    assert window_start(3, date(2026, 5, 31)) == date(2026, 2, 28)


def test_recording_checks_the_day_the_kind_the_request_and_the_role(customer_contact, manager, sales_rep):
    def record(actor=manager, **changes):
        fields = {"contact": customer_contact, "kind": GiveBackKind.SPEAKING_SLOT, "given_on": _days_ago(1)}
        return giveback_record(actor=actor, **(fields | changes))

    with pytest.raises(InvalidInput) as future:
        record(given_on=_days_ago(-1))
    assert future.value.field == "given_on"
    with pytest.raises(InvalidInput) as kind:
        record(kind="points")
    assert kind.value.field == "kind"
    someone_elses = make_request(sales_rep, catalogue.make_contact(customer_contact.account))
    with pytest.raises(InvalidInput) as request:
        record(request=someone_elses)
    assert request.value.field == "request"
    with pytest.raises(NotAllowed):
        record(actor=sales_rep)
    assert not GiveBack.objects.exists()
    given = record(message="  Thank you!  ")
    assert (given.message, given.recorded_by) == ("Thank you!", manager)


def test_a_manager_removes_a_mistake_and_nobody_else_may(customer_contact, manager, sales_rep):
    given = giveback_record(
        contact=customer_contact, kind=GiveBackKind.RECOGNITION, given_on=_days_ago(2), actor=manager
    )
    with pytest.raises(NotAllowed):
        giveback_remove(give_back=given, actor=sales_rep)
    giveback_remove(give_back=given, actor=manager)
    assert not GiveBack.objects.exists()


def test_the_export_holds_the_give_back_and_the_erasure_clears_what_was_written(customer_contact, manager):
    giveback_record(
        contact=customer_contact,
        kind=GiveBackKind.ADVISORY_BOARD,
        given_on=_days_ago(3),
        actor=manager,
        message="Welcome to the board.",
        note="She asked for it twice.",
    )
    exported = contact_export(contact=customer_contact)["give_back"]
    assert exported == [
        {
            "kind": "Advisory board seat",
            "given_on": _days_ago(3).isoformat(),
            "message": "Welcome to the board.",
            "note": "She asked for it twice.",
            "request": None,
            "recorded_at": exported[0]["recorded_at"],
        }
    ]
    contact_erase(erasure_id=erasure_ask(contact=customer_contact).pk, actor=manager)
    kept = GiveBack.objects.get(contact=customer_contact)
    assert (kept.kind, kept.note, kept.message) == (GiveBackKind.ADVISORY_BOARD, "", "")
