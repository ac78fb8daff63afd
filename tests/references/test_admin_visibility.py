"""A reference manager in the admin never sees more than the manager portal shows them, and the
catalogue admins apply the portals' rules (`references.visibility`) to whoever they serve: rows
through `visible_to`, contact email and phone only for those who may read them, in the list, the
form, the search, autocomplete and the CSV export."""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from core.admin_actions import export_as_csv, export_fields
from references import services
from references.models import (
    Account,
    AccountNote,
    BlackoutPeriod,
    Contact,
    Opportunity,
    ParticipationPreferences,
    ReferenceActivity,
    StatusChange,
)
from tests.builders import catalogue as factories


@pytest.fixture
def program(admin_user, account_owner, sales_rep, other_rep, customer_contact):
    """Two accounts with contacts, notes and history; deals of two reps, one shared with a team."""
    second = factories.make_account(account_owner, name="Initech")
    contacts = [customer_contact, factories.make_contact(second), factories.make_contact(second)]
    for contact in contacts[:2]:
        AccountNote.objects.create(
            account=contact.account, body=f"Why {contact.account} bought", author=admin_user
        )
    services.contact_change_status(contact=contacts[2], to_status="paused", reason="Busy", actor=admin_user)
    factories.make_activity(customer_contact, customer_contact.created_at.date())
    own = factories.make_opportunity(sales_rep, prospect_name="Sally's deal")
    shared = factories.make_opportunity(other_rep, prospect_name="Oscar's shared deal")
    shared.team.add(sales_rep)
    factories.make_opportunity(other_rep, prospect_name="Oscar's own deal")
    return {"contacts": contacts, "deals": {"own": own, "shared": shared}}


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _admin_rows(client, model, query: str = "") -> set[int]:
    url = reverse(f"admin:references_{model._meta.model_name}_changelist") + query
    response = client.get(url)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_a_managers_admin_lists_what_the_manager_portal_lists(manager_client, program):
    portal_accounts = manager_client.get(reverse("manage:accounts")).context["page"].object_list
    portal_contacts = manager_client.get(reverse("manage:contacts")).context["page"].object_list
    notes = set()
    for account in portal_accounts:
        page = manager_client.get(reverse("manage:account", args=[account.pk]))
        notes |= {note.pk for note in page.context["account"].notes.all()}

    assert _admin_rows(manager_client, Account) == {a.pk for a in portal_accounts}
    assert _admin_rows(manager_client, Contact) == {c.pk for c in portal_contacts}
    assert _admin_rows(manager_client, AccountNote) == notes
    # Managers see every deal, in the admin as in the request screens (Opportunity.visible_to).
    assert _admin_rows(manager_client, Opportunity) == set(Opportunity.objects.values_list("pk", flat=True))


def test_a_managers_contact_details_are_the_ones_the_portal_shows(manager_client, program):
    contact = program["contacts"][0]

    portal = manager_client.get(reverse("manage:contact", args=[contact.pk])).content.decode()
    changelist = manager_client.get(reverse("admin:references_contact_changelist")).content.decode()

    assert contact.email in portal and contact.email in changelist
    assert contact.phone in portal and contact.phone in changelist


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("persona", ["sales_rep", "marketer"])
def test_the_catalogue_admins_withhold_what_the_portals_withhold(request, persona, program):
    """Behind the site's refusal, the admins themselves hand out nothing more than the portals."""
    user = request.getfixturevalue(persona)
    contacts = admin.site._registry[Contact]
    rows = contacts.get_queryset(_request(user))

    assert set(rows) == set(Contact.objects.all())  # names, as search shows them
    assert not {"email", "phone"} & set(contacts.get_list_display(_request(user)))
    assert not {"email", "phone"} & set(contacts.get_fields(_request(user)))
    assert not any("email" in field for field in contacts.get_search_fields(_request(user)))
    export = _csv(export_as_csv(contacts, _request(user), rows))
    assert "email" not in export[0] and "phone" not in export[0]
    assert not any(contact.email in ",".join(line) for contact in rows for line in export)
    for model in (AccountNote, StatusChange, ReferenceActivity, ParticipationPreferences, BlackoutPeriod):
        assert not admin.site._registry[model].get_queryset(_request(user)).exists(), model
    deals = set(admin.site._registry[Opportunity].get_queryset(_request(user)))
    expected = {program["deals"]["own"], program["deals"]["shared"]} if persona == "sales_rep" else set()
    assert deals == expected


def test_a_manager_may_read_contact_details_everywhere_in_the_admin(manager, program):
    contacts = admin.site._registry[Contact]

    assert {"email", "phone"} <= set(contacts.get_list_display(_request(manager)))
    assert {"email", "phone"} <= {field.name for field in export_fields(contacts, _request(manager))}


def test_the_export_holds_only_the_rows_the_changelist_shows(manager_client, program):
    paused = program["contacts"][2]
    url = reverse("admin:references_contact_changelist") + "?status__exact=paused"
    data = {"action": "export_as_csv", ACTION_CHECKBOX_NAME: [str(c.pk) for c in program["contacts"]]}

    response = manager_client.post(url, {**data, "select_across": "1"})

    header, *body = _csv(response)
    assert [row[header.index("ID")] for row in body] == [str(paused.pk)]
    assert body[0][header.index("email")] == paused.email


def test_autocomplete_answers_only_with_what_the_user_may_see(manager_client, program):
    url = reverse("admin:autocomplete")
    query = "?app_label=references&model_name=referenceactivity&field_name=contact&term=Globex"

    results = manager_client.get(url + query).json()["results"]

    assert [row["id"] for row in results] == [str(program["contacts"][0].pk)]
    assert all("@" not in row["text"] for row in results)


def test_a_manager_hands_a_deal_over_in_the_admin_choosing_from_the_programs_people(
    manager_client, manager, sales_rep, other_rep, outsider
):
    """Managers hold no permission on users, so people are a list of the program's users, not the
    admin's user search (which answers them 403)."""
    deal = factories.make_opportunity(sales_rep, prospect_name="Handed Over")
    page = manager_client.get(reverse("admin:references_opportunity_change", args=[deal.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert {other_rep, sales_rep, manager} <= set(form.fields["owner"].queryset)
    assert outsider not in form.fields["owner"].queryset

    request = RequestFactory().post("/")
    request.user = manager
    model_admin = admin.site._registry[Opportunity]
    form_class = model_admin.get_form(request, deal)
    data = {**form.initial, "owner": other_rep.pk, "team": [sales_rep.pk], "products": []}
    data = {name: value for name, value in data.items() if value is not None}
    bound = form_class(data=data, instance=deal)
    assert bound.is_valid(), bound.errors
    bound.save()

    deal.refresh_from_db()
    assert deal.owner == other_rep and list(deal.team.all()) == [sales_rep]
    refused = form_class(data={**data, "owner": outsider.pk}, instance=deal)
    assert not refused.is_valid() and "owner" in refused.errors
