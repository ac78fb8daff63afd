"""Asking to be erased from several tabs at once, and two managers carrying it out at once."""

import pytest

from core.errors import Conflict
from customers.erasure.services import contact_erase, erasure_ask
from customers.models import ErasureRequest
from references.models import ReferenceStatus, StatusChange
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_simultaneous_asks_make_one_erasure_request(customer_contact):
    results = race([lambda: erasure_ask(contact=customer_contact).pk] * 4)
    assert len(set(results)) == 1, results
    assert ErasureRequest.objects.filter(contact=customer_contact).count() == 1


def test_two_managers_carrying_it_out_at_once_erase_once(customer_contact, manager, second_manager):
    erasure = erasure_ask(contact=customer_contact)
    results = race(
        [
            lambda: contact_erase(erasure_id=erasure.pk, actor=manager).pk,
            lambda: contact_erase(erasure_id=erasure.pk, actor=second_manager).pk,
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"], results
    assert any(isinstance(r, Conflict) for r in results)
    retired = StatusChange.objects.filter(contact=customer_contact, to_status=ReferenceStatus.RETIRED)
    assert retired.count() == 1
