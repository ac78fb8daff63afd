"""What the admin writes goes through references.services: every contact added in the admin has
preferences, notes are signed, and no edit touches a status."""

import pytest
from django.urls import reverse

from references.admin.contacts import BlackoutForm
from references.models import Account, AccountNote, BlackoutPeriod, Contact, ParticipationPreferences, Product
from references.statuses import ReferenceStatus
from tests.builders import catalogue as factories


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _page(client, url: str) -> dict[str, str]:
    """The management forms of the page's inlines, as the page would post them with no rows added."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()}
        )
    return data


def _contact_row(prefix: str, index: int, **fields) -> dict[str, str]:
    return {f"{prefix}-{index}-{name}": value for name, value in fields.items()}


def _account_data(account_owner, **overrides) -> dict:
    data = {
        "name": "Initech",
        "owner": account_owner.pk,
        "industry": factories.industry().pk,
        "size_band": factories.size_band().pk,
        "country": factories.country().pk,
        "products": [product.pk for product in Product.objects.all()[:2]],
        "annual_contract_value": "1000",
        "currency": "USD",
        "open_escalations": "0",
    }
    return {**data, **overrides}


def test_an_account_added_with_contacts_and_a_note(admin_client, admin_user, account_owner):
    url = _url(Account, "add")
    data = {**_page(admin_client, url), **_account_data(account_owner)}
    persona = factories.persona().pk
    data.update(
        {
            "contacts-TOTAL_FORMS": "2",
            **_contact_row("contacts", 0, first_name="Ada", last_name="L", persona=persona, email="a@i.test"),
            **_contact_row("contacts", 1, first_name="Bob", last_name="M", persona=persona, email="b@i.test"),
            "notes-TOTAL_FORMS": "1",
            **_contact_row("notes", 0, kind=AccountNote.Kind.WHY_BOUGHT, body="The API"),
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    account = Account.objects.get(name="Initech")
    assert account.status == ReferenceStatus.CANDIDATE
    assert account.products.count() == 2
    contacts = list(account.contacts.all())
    assert len(contacts) == 2
    assert ParticipationPreferences.objects.filter(contact__in=contacts).count() == 2
    note = account.notes.get()
    assert (note.kind, note.body, note.author) == (AccountNote.Kind.WHY_BOUGHT, "The API", admin_user)


def test_an_account_edit_in_the_admin_keeps_its_status(admin_client, customer_account, account_owner):
    customer_account.status = ReferenceStatus.PAUSED
    customer_account.save()
    url = _url(Account, "change", customer_account.pk)
    data = {**_page(admin_client, url), **_account_data(account_owner, name="Globex Bank plc", nps="6")}
    data["status"] = ReferenceStatus.DEFECTED  # not a field of the form: ignored

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    customer_account.refresh_from_db()
    assert (customer_account.name, customer_account.nps) == ("Globex Bank plc", 6)
    assert customer_account.status == ReferenceStatus.PAUSED
    assert customer_account.products.count() == 2


def _contact_data(account, **overrides) -> dict:
    data = {
        "account": account.pk,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "persona": factories.persona().pk,
        "email": "ada@globex.test",
        "language": "en",
        "time_zone": "UTC",
    }
    return {**data, **overrides}


def test_a_contact_added_without_the_preferences_inline_still_has_preferences(admin_client, customer_account):
    url = _url(Contact, "add")
    data = {**_page(admin_client, url), **_contact_data(customer_account), "preferences-TOTAL_FORMS": "0"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = Contact.objects.get(email="ada@globex.test")
    assert contact.status == ReferenceStatus.CANDIDATE
    assert ParticipationPreferences.objects.filter(contact=contact).exists()


def test_a_contact_added_with_preferences(admin_client, customer_account):
    url = _url(Contact, "add")
    video = factories.activity_type("video")
    data = {
        **_page(admin_client, url),
        **_contact_data(customer_account),
        **_contact_row(
            "preferences",
            0,
            activity_types=[video.pk],
            own_cap_per_quarter="2",
            preferred_channel=ParticipationPreferences.Channel.VIDEO,
        ),
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    preferences = ParticipationPreferences.objects.get(contact__email="ada@globex.test")
    assert (preferences.own_cap_per_quarter, preferences.preferred_channel) == (2, "video")
    assert list(preferences.activity_types.all()) == [video]


def test_a_contact_edit_in_the_admin_opts_them_out_now(admin_client, customer_contact):
    url = _url(Contact, "change", customer_contact.pk)
    preferences = customer_contact.preferences
    data = {
        **_page(admin_client, url),
        **_contact_data(customer_contact.account, email=customer_contact.email, title="CIO"),
        **_contact_row(
            "preferences",
            0,
            id=preferences.pk,
            contact=customer_contact.pk,
            preferred_channel=preferences.preferred_channel,
            opted_out="on",
        ),
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    customer_contact.refresh_from_db()
    assert (customer_contact.title, customer_contact.status) == ("CIO", ReferenceStatus.ACTIVE)
    preferences.refresh_from_db()
    assert preferences.opted_out and preferences.opted_out_at is not None
    assert ParticipationPreferences.objects.filter(contact=customer_contact).count() == 1


def test_a_note_added_in_the_admin_is_signed_by_the_administrator(admin_client, admin_user, customer_account):
    data = {"account": customer_account.pk, "kind": AccountNote.Kind.INTERVIEW, "body": "Loves the API"}

    response = admin_client.post(_url(AccountNote, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AccountNote.objects.get().author == admin_user


def test_preferences_stay_with_their_contact(admin_client, customer_contact):
    preferences = customer_contact.preferences
    url = _url(ParticipationPreferences, "change", preferences.pk)
    assert 'name="contact"' not in admin_client.get(url).content.decode()
    other = factories.make_contact(customer_contact.account)

    data = {"contact": other.pk, "preferred_channel": "phone", "own_cap_per_quarter": "3"}
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    preferences.refresh_from_db()
    assert (preferences.contact, preferences.preferred_channel, preferences.own_cap_per_quarter) == (
        customer_contact,
        "phone",
        3,
    )


def test_a_blackout_ending_in_year_9999_is_refused_on_its_field(customer_contact):
    """Such a date once saved, then every limit check on the contact overflowed adding a day to it."""
    form = BlackoutForm(
        data={"contact": customer_contact.pk, "start": "2027-01-04", "end": "9999-12-31", "reason": "x"}
    )

    assert not form.is_valid()
    assert list(form.errors) == ["end"]
    assert not BlackoutPeriod.objects.exists()


def test_the_admin_leaves_an_accounts_owner_to_the_managers_change_owner_page(
    admin_client, customer_account, account_owner, other_rep
):
    url = _url(Account, "change", customer_account.pk)
    page = admin_client.get(url)
    assert "owner" not in page.context["adminform"].form.fields  # shown read-only
    data = {**_page(admin_client, url), **_account_data(other_rep, name="Globex Bank plc")}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    customer_account.refresh_from_db()
    assert (customer_account.name, customer_account.owner) == ("Globex Bank plc", account_owner)
