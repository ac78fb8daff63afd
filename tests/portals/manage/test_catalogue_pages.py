"""Reference managers add and retire accounts and contacts in /manage/, through the catalogue's
services (as the admin does): new rows start as candidates, retiring is a status change with its
reason in the history, nothing is deleted. Sales and marketing cannot."""

import re

import pytest
from django.urls import reverse

from portals.manage import forms as manage_forms
from references.models import Account, Contact, StatusChange
from tests.builders import catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _account_post(owner, **changes) -> dict:
    return {
        "name": "Initech Retail",
        "industry": catalogue.industry().pk,
        "size_band": catalogue.size_band().pk,
        "country": catalogue.country().pk,
        "annual_contract_value": "120000",
        "currency": "USD",
        "open_escalations": "0",
        "owner": owner.pk,
        **changes,
    }


def test_a_manager_adds_an_account_from_the_list(manager_client, account_owner):
    page = manager_client.get(reverse("manage:accounts")).content.decode()
    assert reverse("manage:account-new") in page
    assert manager_client.get(reverse("manage:account-new")).status_code == 200
    response = manager_client.post(reverse("manage:account-new"), _account_post(account_owner))
    account = Account.objects.get(name="Initech Retail")
    assert response.status_code == 302 and response["Location"] == reverse(
        "manage:account", args=[account.pk]
    )
    assert account.status == "candidate" and account.owner == account_owner


def test_a_new_account_is_refused_with_the_reason_on_the_field(manager_client, account_owner, marketer):
    url = reverse("manage:account-new")
    response = manager_client.post(url, _account_post(marketer))
    assert response.status_code == 400  # a marketer may not own an account
    assert "Select a valid choice" in response.content.decode()
    response = manager_client.post(url, _account_post(account_owner, nps="11"))
    assert response.status_code == 400 and "less than or equal to 10" in response.content.decode()
    assert not Account.objects.filter(name="Initech Retail").exists()


def _contact_post(account, **changes) -> dict:
    return {
        "account": account.pk,
        "first_name": "Hana",
        "last_name": "Hughes",
        "persona": catalogue.persona().pk,
        "email": "hana@globex.test",
        "language": "en",
        "time_zone": "Europe/London",
        "prefs-preferred_channel": "email",
        **changes,
    }


def test_a_manager_adds_a_contact_from_the_account_page(manager_client, customer_account):
    page = manager_client.get(reverse("manage:account", args=[customer_account.pk])).content.decode()
    link = f"{reverse('manage:contact-new')}?account={customer_account.pk}"
    assert link in page
    form = manager_client.get(link).content.decode()
    assert f'<option value="{customer_account.pk}" selected>' in form
    reference_call = catalogue.activity_type()
    post = _contact_post(customer_account, **{"prefs-activity_types": [reference_call.pk]})
    response = manager_client.post(reverse("manage:contact-new"), post)
    contact = Contact.objects.get(email="hana@globex.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:contact", args=[contact.pk])
    assert contact.account == customer_account and contact.status == "candidate"
    # With their preferences, as every contact the catalogue service creates.
    assert list(contact.preferences.activity_types.all()) == [reference_call]


def test_with_many_accounts_a_new_contacts_account_is_found_by_name(
    manager_client, account_owner, monkeypatch
):
    # Past ACCOUNT_LIST_MAX the page lists only what a name search finds (100,000 accounts made
    # a 6 MB page); any account the manager may see is still accepted.
    monkeypatch.setattr(manage_forms, "ACCOUNT_LIST_MAX", 2)
    globex = catalogue.make_account(account_owner, name="Globex Corporation")
    others = [catalogue.make_account(account_owner, name=f"Initech {index}") for index in range(3)]
    url = reverse("manage:contact-new")

    def account_list(query: str = "") -> str:
        page = manager_client.get(f"{url}{query}").content.decode()
        return re.search(r'<select name="account".*?</select>', page, re.DOTALL).group(0)

    assert "Find the account by its name" in manager_client.get(url).content.decode()
    assert not any(f'value="{account.pk}"' in account_list() for account in [globex, *others])

    found = account_list("?find=globex")
    assert f'<option value="{globex.pk}">Globex Corporation</option>' in found
    assert "1 account found" in manager_client.get(f"{url}?find=globex").content.decode()
    assert not any(f'value="{account.pk}"' in found for account in others)
    assert "No account's name has" in manager_client.get(f"{url}?find=umbrella").content.decode()

    assert f'<option value="{others[1].pk}" selected>' in account_list(f"?account={others[1].pk}")

    response = manager_client.post(url, _contact_post(others[0]))  # not listed, but visible
    assert response.status_code == 302
    assert Contact.objects.get(email="hana@globex.test").account == others[0]

    unknown = _contact_post(others[0], email="x@globex.test") | {"account": 999_999}
    refused = manager_client.post(url, unknown)
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()


def test_a_contact_cannot_repeat_an_email_of_their_account(manager_client, customer_contact):
    post = _contact_post(customer_contact.account, email=customer_contact.email)
    response = manager_client.post(reverse("manage:contact-new"), post)
    assert response.status_code == 400
    assert Contact.objects.filter(email=customer_contact.email).count() == 1


def test_the_contact_list_offers_a_new_contact(manager_client):
    assert reverse("manage:contact-new") in manager_client.get(reverse("manage:contacts")).content.decode()


@pytest.mark.parametrize(("kind", "url_name"), [("account", "manage:account"), ("contact", "manage:contact")])
def test_retiring_asks_for_a_reason_and_keeps_the_history(manager_client, customer_contact, kind, url_name):
    subject = customer_contact if kind == "contact" else customer_contact.account
    detail = manager_client.get(reverse(url_name, args=[subject.pk])).content.decode()
    retire = reverse(f"{url_name}-retire", args=[subject.pk])
    assert retire in detail
    confirm = manager_client.get(retire).content.decode()
    assert f"Retire {subject}?" in confirm and "Nothing is deleted" in confirm
    assert manager_client.post(retire, {"reason": ""}).status_code == 400
    response = manager_client.post(retire, {"reason": "They were acquired."})
    assert response.status_code == 302 and response["Location"] == reverse(url_name, args=[subject.pk])
    subject.refresh_from_db()
    assert subject.status == "retired"
    change = StatusChange.objects.get(**{kind: subject})
    assert (change.from_status, change.to_status, change.reason) == (
        "active",
        "retired",
        "They were acquired.",
    )
    assert change.changed_by.username == "maria"
    # Retiring again is refused on the form, not a 500.
    again = manager_client.post(retire, {"reason": "Twice"})
    assert again.status_code == 400 and StatusChange.objects.filter(**{kind: subject}).count() == 1


@pytest.mark.parametrize("who", ["sales_rep", "account_owner", "marketer"])
def test_sales_and_marketing_cannot_add_or_retire(client, request, who, customer_contact, account_owner):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("manage:account-new"), _account_post(account_owner)).status_code == 403
    assert client.get(reverse("manage:contact-new")).status_code == 403
    for url_name, subject in (
        ("manage:account", customer_contact.account),
        ("manage:contact", customer_contact),
    ):
        retire = reverse(f"{url_name}-retire", args=[subject.pk])
        assert client.post(retire, {"reason": "Mine to retire"}).status_code == 403
    customer_contact.refresh_from_db()
    assert customer_contact.status == "active" and not Account.objects.filter(name="Initech Retail").exists()


def test_an_unknown_account_or_contact_is_not_found(manager_client):
    assert manager_client.get(reverse("manage:account-retire", args=[999999])).status_code == 404
    assert manager_client.get(reverse("manage:contact-retire", args=[999999])).status_code == 404
    assert manager_client.get(reverse("manage:account-owner", args=[999999])).status_code == 404
    # A made-up account in the query string is ignored, not a 500.
    assert manager_client.get(reverse("manage:contact-new") + "?account=²").status_code == 200
