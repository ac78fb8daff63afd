"""The admin's account and contact searches find what a reference manager types — the start of a
name in any case, a whole email address, the start of the contact's account's name — and on
PostgreSQL each of them is answered from an index, not by reading every row
(references.admin.search, migration references 0009)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from core.statistics import analyze
from references.models import Account, Contact
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def catalogue(account_owner, manager):
    globex = factories.make_account(account_owner, name="Globex Corporation")
    globe = factories.make_account(manager, name="Globe Trotters")
    initech = factories.make_account(manager, name="Initech")
    return {
        "globex": globex,
        "globe": globe,
        "initech": initech,
        "jane": factories.make_contact(
            globex, first_name="Jane", last_name="Smith", email="Jane.Smith@globex.example"
        ),
        "john": factories.make_contact(
            initech, first_name="John", last_name="Smithers", email="john@initech.example"
        ),
        "ada": factories.make_contact(
            globe, first_name="Ada", last_name="Janeway", email="ada@globe.example"
        ),
    }


def _found(client, model, q: str) -> set[str]:
    response = client.get(reverse(f"admin:references_{model._meta.model_name}_changelist"), {"q": q})
    assert response.status_code == 200
    return {str(row) for row in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("glob", {"Globex Corporation", "Globe Trotters"}),
        ("GLOBEX co", {"Globex Corporation"}),  # the text typed is one phrase, spaces and all
        ("  globex   corporation ", {"Globex Corporation"}),
        ("corporation", set()),  # the start of the name, not a word inside it
        ('globex "co\\', set()),  # quotes and backslashes are text like any other
    ],
)
def test_accounts_are_found_by_the_start_of_their_name(manager_client, catalogue, q, expected):
    assert _found(manager_client, Account, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("jan", {"Jane Smith", "Ada Janeway"}),  # a first or a last name's start
        ("SMITH", {"Jane Smith", "John Smithers"}),
        ("jane smi", {"Jane Smith"}),  # every word matches one of the fields
        ("jane.smith@GLOBEX.example", {"Jane Smith"}),  # a whole email, in any case
        ("jane.smith@", set()),  # not a part of one
        ("initech", {"John Smithers"}),  # the start of the account's name
        ("ith", set()),  # not a part of a name
    ],
)
def test_contacts_are_found_by_name_starts_their_account_or_a_whole_email(
    manager_client, catalogue, q, expected
):
    assert _found(manager_client, Contact, q) == expected


def _autocomplete(client, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "references", "model_name": "contact", "field_name": "account", "term": term},
    )
    return [row["text"] for row in response.json()["results"]]


def test_the_account_autocomplete_takes_a_phrase_and_answers_in_name_order(manager_client, catalogue):
    assert _autocomplete(manager_client, "globe t") == ["Globe Trotters"]
    assert _autocomplete(manager_client, "GLOB") == ["Globe Trotters", "Globex Corporation"]


def test_the_search_box_says_what_it_searches(manager_client):
    for model in (Account, Contact):
        page = manager_client.get(reverse(f"admin:references_{model._meta.model_name}_changelist"))
        assert "start of" in page.content.decode(), model


# --- PostgreSQL answers from an index ----------------------------------------------------------


def _many(owner, accounts: int = 300, per_account: int = 3) -> None:
    """Enough rows that a plan reading them all would cost something."""
    made = Account.objects.bulk_create(
        Account(
            name=f"Filler {n:04d}",
            industry=factories.industry(),
            size_band=factories.size_band(),
            country=factories.country(),
            owner=owner,
        )
        for n in range(accounts)
    )
    persona = factories.persona()
    Contact.objects.bulk_create(
        Contact(
            account=account,
            first_name=f"First{i}",
            last_name=f"Last{i}",
            email=f"{i}@{account.pk}.example",
            persona=persona,
        )
        for account in made
        for i in range(per_account)
    )
    analyze(Account, Contact)


def _plan(user, model, q: str) -> str:
    """The plan of the changelist's query for `q` (its search through `get_search_results`), with
    sequential scans priced out: an index missing from it cannot answer the search."""
    request = RequestFactory().get("/", {"q": q})
    request.user = user
    changelist = admin.site._registry[model].get_changelist_instance(request)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return changelist.queryset[: changelist.list_per_page].explain()  # the page's query


@pytest.mark.postgres
def test_an_account_search_reads_the_name_index(manager, catalogue):
    _many(manager)

    plan = _plan(manager, Account, "globex co")

    assert "account_name_prefix" in plan
    assert "Seq Scan on references_account" not in plan


@pytest.mark.postgres
def test_a_contact_search_reads_the_name_email_and_account_indexes(manager, catalogue):
    _many(manager)

    plan = _plan(manager, Contact, "jane")

    for index in ("contact_first_name_prefix", "contact_last_name_prefix", "contact_email_upper"):
        assert index in plan
    assert "account_name_prefix" in plan  # the accounts whose name starts so, then their contacts
    assert "Seq Scan on references_contact" not in plan
