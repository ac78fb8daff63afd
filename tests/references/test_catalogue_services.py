"""Catalogue edits through references.services: accounts, notes, contacts and their preferences.

Every refusal names the field at fault and leaves nothing half-written; every new contact has
preferences; an edit never touches a status.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import InvalidInput
from core.roles import Role
from references import services
from references.models import (
    Account,
    AccountNote,
    Contact,
    ParticipationPreferences,
    Product,
)
from references.statuses import ReferenceStatus
from tests.builders import catalogue as factories


def _account_fields(owner, **overrides) -> dict:
    fields = {
        "name": "Initech",
        "owner": owner,
        "industry": factories.industry(),
        "size_band": factories.size_band(),
        "country": factories.country(),
    }
    return {**fields, **overrides}


def _contact_fields(**overrides) -> dict:
    fields = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "persona": factories.persona(),
        "email": "ada@initech.test",
    }
    return {**fields, **overrides}


# --- accounts -------------------------------------------------------------------------------


def test_a_new_account_is_a_candidate_with_its_products(account_owner):
    products = list(Product.objects.all()[:2])

    account = services.account_create(
        **_account_fields(account_owner, name="  Initech  ", products=products, stewards=[account_owner])
    )

    account.refresh_from_db()
    assert (account.name, account.status) == ("Initech", ReferenceStatus.CANDIDATE)
    assert set(account.products.all()) == set(products)
    assert list(account.stewards.all()) == [account_owner]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"industry": None}, "industry"),
        ({"nps": 11}, "nps"),
        ({"annual_contract_value": Decimal("-1")}, "annual_contract_value"),
    ],
    ids=["blank name", "no industry", "nps over 10", "negative contract value"],
)
def test_a_bad_new_account_is_refused_naming_the_field(account_owner, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        services.account_create(**_account_fields(account_owner, **overrides))

    assert refused.value.field == field
    assert not Account.objects.exists()


def test_an_account_edit_changes_only_the_fields_given(customer_account):
    products = list(Product.objects.all()[:1])

    account = services.account_update(account=customer_account, nps=7, products=products)

    account.refresh_from_db()
    assert (account.name, account.nps, account.owner) == ("Globex Bank", 7, customer_account.owner)
    assert list(account.products.all()) == products


def test_an_account_edit_never_overwrites_a_status_changed_meanwhile(customer_account, manager):
    stale = Account.objects.get(pk=customer_account.pk)
    services.account_change_status(
        account=customer_account, to_status=ReferenceStatus.PAUSED, reason="Merger", actor=manager
    )

    services.account_update(account=stale, name="Globex Bank plc")

    customer_account.refresh_from_db()
    assert (customer_account.name, customer_account.status) == ("Globex Bank plc", ReferenceStatus.PAUSED)


def test_an_owner_or_steward_outside_the_program_is_refused_wherever_the_edit_comes_from(
    customer_account, account_owner, marketer, outsider
):
    """The admin and imports call the same service as the manager portal: the rule holds for all."""
    inactive_rep = factories.make_user("ivan", Role.SALES, is_active=False)
    for owner in (marketer, outsider, inactive_rep):
        with pytest.raises(InvalidInput) as refused:
            services.account_update(account=customer_account, owner=owner)
        assert refused.value.field == "owner"
    with pytest.raises(InvalidInput) as refused:
        services.account_update(account=customer_account, stewards=[marketer, outsider])
    assert refused.value.field == "stewards"

    customer_account.refresh_from_db()
    assert customer_account.owner == account_owner and not customer_account.stewards.exists()
    services.account_update(account=customer_account, stewards=[marketer])
    assert list(customer_account.stewards.all()) == [marketer]


def test_a_status_is_not_an_editable_field(customer_account):
    with pytest.raises(TypeError, match="status"):
        services.account_update(account=customer_account, status=ReferenceStatus.RETIRED)

    customer_account.refresh_from_db()
    assert customer_account.status == ReferenceStatus.ACTIVE


def test_a_refused_account_edit_writes_nothing(customer_account):
    products = list(Product.objects.all()[:2])

    with pytest.raises(InvalidInput) as refused:
        services.account_update(account=customer_account, name="Renamed", nps=12, products=products)

    assert refused.value.field == "nps"
    customer_account.refresh_from_db()
    assert (customer_account.name, customer_account.nps) == ("Globex Bank", 9)
    assert not customer_account.products.exists()


# --- notes ----------------------------------------------------------------------------------


def test_a_note_is_signed_by_its_author(customer_account, manager):
    note = services.account_note_create(
        account=customer_account, kind=AccountNote.Kind.WHY_BOUGHT, body=" The API ", author=manager
    )

    note.refresh_from_db()
    assert (note.account, note.kind, note.body, note.author) == (
        customer_account,
        AccountNote.Kind.WHY_BOUGHT,
        "The API",
        manager,
    )


@pytest.mark.parametrize(
    ("overrides", "field"), [({"body": " "}, "body"), ({"kind": "gossip"}, "kind")], ids=["blank", "kind"]
)
def test_a_bad_note_is_refused_naming_the_field(customer_account, manager, overrides, field):
    values = {"account": customer_account, "body": "Renewed early", "author": manager, **overrides}

    with pytest.raises(InvalidInput) as refused:
        services.account_note_create(**values)

    assert refused.value.field == field
    assert not AccountNote.objects.exists()


def test_a_note_edit_changes_its_text(customer_account, manager):
    note = services.account_note_create(account=customer_account, body="Draft", author=manager)

    services.account_note_update(note=note, body="Final", kind=AccountNote.Kind.INTERVIEW)

    note.refresh_from_db()
    assert (note.body, note.kind, note.author) == ("Final", AccountNote.Kind.INTERVIEW, manager)


# --- contacts and their preferences ---------------------------------------------------------


def test_a_new_contact_always_has_preferences(customer_account):
    contact = services.contact_create(account=customer_account, **_contact_fields())

    contact.refresh_from_db()
    assert contact.status == ReferenceStatus.CANDIDATE
    preferences = ParticipationPreferences.objects.get(contact=contact)
    assert (preferences.preferred_channel, preferences.opted_out) == (
        ParticipationPreferences.Channel.EMAIL,
        False,
    )


def test_a_new_contact_gets_the_preferences_given(customer_account):
    video = factories.activity_type("video")

    contact = services.contact_create(
        account=customer_account,
        preferences={"activity_types": [video], "own_cap_per_quarter": 2},
        **_contact_fields(),
    )

    preferences = ParticipationPreferences.objects.get(contact=contact)
    assert preferences.own_cap_per_quarter == 2
    assert list(preferences.activity_types.all()) == [video]


@pytest.mark.parametrize(
    ("fields", "preferences", "field"),
    [
        ({"email": "not an email"}, None, "email"),
        ({"email": "GRACE@customer.test"}, None, "email"),  # Grace's, whatever the case
        ({"persona": None}, None, "persona"),
        ({}, {"preferred_channel": "fax"}, "preferred_channel"),
    ],
    ids=["bad email", "email taken", "no persona", "bad channel"],
)
def test_a_bad_new_contact_is_refused_naming_the_field_and_nothing_is_written(
    customer_account, fields, preferences, field
):
    factories.make_contact(customer_account, email="grace@customer.test")
    before = (Contact.objects.count(), ParticipationPreferences.objects.count())

    with pytest.raises(InvalidInput) as refused:
        services.contact_create(
            account=customer_account, preferences=preferences, **_contact_fields(**fields)
        )

    assert refused.value.field == field
    assert (Contact.objects.count(), ParticipationPreferences.objects.count()) == before


def test_the_same_email_may_be_used_at_another_account(customer_account, account_owner):
    factories.make_contact(customer_account, email="ada@initech.test")
    other = factories.make_account(account_owner)

    contact = services.contact_create(account=other, **_contact_fields())

    assert contact.account == other


def test_a_contact_edit_changes_the_contact_and_their_preferences(customer_contact):
    video = factories.activity_type("video")

    contact = services.contact_update(
        contact=customer_contact,
        title="CIO",
        preferences={"activity_types": [video], "preferred_channel": ParticipationPreferences.Channel.VIDEO},
    )

    contact.refresh_from_db()
    assert (contact.title, contact.status) == ("CIO", ReferenceStatus.ACTIVE)
    assert contact.preferences.preferred_channel == ParticipationPreferences.Channel.VIDEO
    assert list(contact.preferences.activity_types.all()) == [video]


def test_a_contact_moves_to_another_account(customer_contact, account_owner):
    other = factories.make_account(account_owner)

    services.contact_update(contact=customer_contact, account=other)

    customer_contact.refresh_from_db()
    assert customer_contact.account == other


def test_a_refused_contact_edit_writes_nothing(customer_contact):
    with pytest.raises(InvalidInput) as refused:
        services.contact_update(
            contact=customer_contact, title="CIO", preferences={"own_cap_per_quarter": -1}
        )

    assert refused.value.field == "own_cap_per_quarter"
    customer_contact.refresh_from_db()
    assert customer_contact.title == "VP Engineering"
    assert customer_contact.preferences.own_cap_per_quarter is None


def test_a_contact_without_preferences_gets_them_on_their_next_edit(customer_contact):
    ParticipationPreferences.objects.filter(contact=customer_contact).delete()

    services.contact_update(contact=customer_contact, title="CTO")

    assert ParticipationPreferences.objects.filter(contact=customer_contact).exists()


def test_a_contact_edit_without_preferences_leaves_them_untouched(customer_contact):
    stamp = customer_contact.preferences.updated_at

    services.contact_update(contact=customer_contact, title="CTO")

    assert ParticipationPreferences.objects.get(contact=customer_contact).updated_at == stamp


def test_opting_out_without_a_time_means_now(customer_contact):
    before = timezone.now()

    preferences = services.preferences_update(contact=customer_contact, opted_out=True, opted_out_at=None)

    preferences.refresh_from_db()
    assert preferences.opted_out and preferences.opted_out_at >= before


def test_a_preferences_edit_keeps_the_other_fields(customer_contact):
    willing = set(customer_contact.preferences.activity_types.all())

    preferences = services.preferences_update(contact=customer_contact, paused_by_contact=True)

    preferences.refresh_from_db()
    assert preferences.paused_by_contact
    assert set(preferences.activity_types.all()) == willing
    assert preferences.consent_given_at is not None


def test_preferences_need_a_contact(db):
    with pytest.raises(InvalidInput) as refused:
        services.preferences_update(contact=None, opted_out=True)

    assert refused.value.field == "contact"
