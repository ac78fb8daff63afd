"""Who may be offered is defined once (references.querysets.OFFERABLE): `offerable()` filters by
every condition, and `offerable_refusal()` names the first one a contact fails."""

import pytest
from django.utils import timezone

from references.models import Account, Contact, ParticipationPreferences
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


def refusal(contact: Contact) -> str:
    return Contact.objects.offerable_refusal(Contact.objects.select_related("account").get(pk=contact.pk))


def test_an_active_contact_at_a_usable_account_may_be_offered(customer_contact):
    assert refusal(customer_contact) == ""
    assert Contact.objects.offerable().filter(pk=customer_contact.pk).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: ParticipationPreferences.objects.filter(contact=c).update(
                opted_out=True, opted_out_at=timezone.now()
            ),
            "has opted out",
        ),
        (lambda c: ParticipationPreferences.objects.filter(contact=c).delete(), "has opted out"),
        (
            lambda c: ParticipationPreferences.objects.filter(contact=c).update(paused_by_contact=True),
            "asked not to be approached",
        ),
        (lambda c: Account.objects.filter(pk=c.account_id).update(at_risk=True), "(active, at risk)"),
        (lambda c: Account.objects.filter(pk=c.account_id).update(status="defected"), "(defected)"),
        (lambda c: Contact.objects.filter(pk=c.pk).update(status="retired"), "is retired, not an active"),
    ],
)
def test_each_condition_refuses_with_its_own_message_and_leaves_the_contact_out(
    customer_contact, change, message
):
    change(customer_contact)

    assert message in refusal(customer_contact)
    assert not Contact.objects.offerable().filter(pk=customer_contact.pk).exists()


def test_the_first_condition_failed_is_named(customer_contact):
    Contact.objects.filter(pk=customer_contact.pk).update(status="retired")
    ParticipationPreferences.objects.filter(contact=customer_contact).update(paused_by_contact=True)

    assert "asked not to be approached" in refusal(customer_contact)


def test_offerable_and_the_refusals_agree_on_every_contact(account_owner):
    accounts = [
        factories.make_account(account_owner, status=status, at_risk=at_risk)
        for status in ("active", "resting", "paused")
        for at_risk in (False, True)
    ]
    contacts = [
        factories.make_contact(account, status=status, prefs=prefs)
        for account in accounts
        for status in ("active", "resting", "candidate")
        for prefs in ({}, {"opted_out": True, "opted_out_at": timezone.now()}, {"paused_by_contact": True})
    ]

    offerable = set(Contact.objects.offerable().values_list("pk", flat=True))

    assert offerable == {contact.pk for contact in contacts if refusal(contact) == ""}
    assert len(offerable) == 2 * 2  # active or resting, at the active or resting healthy account
