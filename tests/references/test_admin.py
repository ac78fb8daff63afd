"""The Django admin as an administrator uses it: every page loads, lists stay cheap, status changes
need a reason, exports hold the selected rows, and nobody without the right gets in."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.core import checks
from django.test import RequestFactory
from django.urls import reverse

from core.admin_actions import export_as_csv, export_fields
from references import services
from references.models import (
    Account,
    AccountNote,
    BlackoutPeriod,
    Contact,
    CurrencyRate,
    Opportunity,
    Product,
    ReferenceActivity,
    StatusChange,
)
from requests_app.models import (
    Nomination,
    ReferenceRequest,
    RequestCandidate,
    RequestEvent,
    RequestFeedback,
)
from tests.builders import catalogue as factories

# Iterated at collection, so a model registered later is covered without touching this file.
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
# Apps whose every model must have a row in `catalogue` (plus auth, whose rows always exist).
CATALOGUE_APPS = {"references", "requests_app", "auth"}


def _ids(items) -> list[str]:
    return [model._meta.label for model, _ in items]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def catalogue(admin_user, sales_rep, customer_contact):
    """One row of every catalogue and request model, linked the way real data is."""
    account = customer_contact.account
    AccountNote.objects.create(
        account=account, kind="why_bought", body="Chose us for the API", author=admin_user
    )
    BlackoutPeriod.objects.create(contact=customer_contact, start=date(2030, 3, 25), end=date(2030, 4, 5))
    services.preferences_update(
        contact=customer_contact, consent=services.ConsentSource.admin(admin_user), opted_out=True
    )
    services.contact_change_status(
        contact=customer_contact, to_status="paused", reason="Busy", actor=admin_user
    )
    opportunity = factories.make_opportunity(sales_rep, external_id="CRM-1")
    activity = factories.make_activity(customer_contact, date(2024, 5, 1))
    activity.opportunities.add(opportunity)
    request = ReferenceRequest.objects.create(
        requester=sales_rep,
        opportunity=opportunity,
        activity_type=factories.activity_type(),
        needed_by=date.today() + timedelta(days=14),
    )
    RequestCandidate.objects.create(request=request, contact=customer_contact, preference=1)
    RequestEvent.objects.create(request=request, actor=sales_rep, action="submit", to_status="submitted")
    RequestFeedback.objects.create(request=request, took_place=True, helpfulness=5, submitted_by=sales_rep)
    Nomination.objects.create(nominated_by=sales_rep, account=account, contact_name="Ada New", reason="Fan")
    CurrencyRate.objects.create(currency="EUR", per_usd=Decimal("0.92"))
    return account


# --- every page loads -----------------------------------------------------------------------


def test_admin_configuration_passes_the_admin_checks():
    # Catches autocomplete fields whose target admin has no search_fields, bad list_display names…
    assert [message for message in checks.run_checks(tags=[checks.Tags.admin]) if message.is_serious()] == []


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=_ids(REGISTERED))
def test_changelist_loads_and_searches(admin_client, catalogue, model, model_admin):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert admin_client.get(_url(model, "changelist"), {"q": "Globex"}).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=_ids(REGISTERED))
def test_add_form_loads_where_adding_is_allowed(admin_client, admin_user, model, model_admin):
    request = RequestFactory().get("/")
    request.user = admin_user
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert admin_client.get(_url(model, "add")).status_code == expected


CATALOGUE = [item for item in REGISTERED if item[0]._meta.app_label in CATALOGUE_APPS]


@pytest.mark.parametrize(("model", "model_admin"), CATALOGUE, ids=_ids(CATALOGUE))
def test_change_form_loads_for_an_existing_row(admin_client, catalogue, model, model_admin):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"add a {model.__name__} row to the catalogue fixture"
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [({"currency": "eur", "per_usd": "0.92"}, "currency"), ({"currency": "EUR", "per_usd": "0"}, None)],
    ids=["lowercase code", "zero rate"],
)
def test_a_bad_currency_rate_is_refused_with_a_form_error(admin_client, data, field):
    response = admin_client.post(_url(CurrencyRate, "add"), data)

    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert (field in errors) if field else errors
    assert not CurrencyRate.objects.exists()


def test_autocomplete_answers_for_account_foreign_keys(admin_client, catalogue):
    for field in ["industry", "country", "products", "owner", "stewards"]:
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "references", "model_name": "account", "field_name": field, "term": "a"},
        )
        assert response.status_code == 200, field
        assert "results" in response.json()


# --- query counts ---------------------------------------------------------------------------


def _accounts(owner, n):
    products = list(Product.objects.all()[:2])
    for _ in range(n):
        account = factories.make_account(owner, products=products)
        factories.make_contact(account)


def _contacts(owner, n):
    account = factories.make_account(owner)
    for _ in range(n):
        factories.make_contact(account, activity_types=("reference_call", "case_study"))


def _opportunities(owner, n):
    for _ in range(n):
        factories.make_opportunity(owner)


def _activities(owner, n):
    contact = factories.make_contact(factories.make_account(owner))
    opportunity = factories.make_opportunity(owner)
    for i in range(n):
        factories.make_activity(contact, date(2024, 1, 1) + timedelta(days=i)).opportunities.add(opportunity)


def _requests(owner, n):
    contact = factories.make_contact(factories.make_account(owner))
    for _ in range(n):
        request = ReferenceRequest.objects.create(
            requester=owner,
            opportunity=factories.make_opportunity(owner),
            activity_type=factories.activity_type(),
            needed_by=date.today() + timedelta(days=10),
            assigned_manager=owner,
        )
        RequestCandidate.objects.create(request=request, contact=contact, preference=1)


# Queries per changelist page, the same for 3 rows as for 30. Every page pays 5: the session, the
# user, the user's groups (portal links in the page context), COUNT(*) of the matching rows, and the
# page of rows with its foreign keys joined (list_select_related) and its counts as subqueries.
# Then per model:
# - accounts 10: list_filter choices for region, industry, size band and product (4), products
#   prefetch (1);
# - contacts 9: filter choices for persona, region and language (3), the activity types the
#   contacts are willing to do (1; their preferences are joined);
# - opportunities 10: filter choices for region and industry (2), the unfiltered total COUNT(*)
#   (1), the date hierarchy's min/max and its dates (2);
# - activities 7: filter choices for activity type and region (2);
# - requests 9: activity-type filter choices (1), the unfiltered total (1), the date hierarchy (2).
QUERY_BUDGETS = [
    pytest.param(Account, _accounts, 10, id="accounts"),
    pytest.param(Contact, _contacts, 9, id="contacts"),
    pytest.param(Opportunity, _opportunities, 10, id="opportunities"),
    pytest.param(ReferenceActivity, _activities, 7, id="activities"),
    pytest.param(ReferenceRequest, _requests, 9, id="requests"),
]


@pytest.mark.parametrize(("model", "build", "budget"), QUERY_BUDGETS)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, account_owner, django_assert_max_num_queries, model, build, budget
):
    url = _url(model, "changelist")
    build(account_owner, 3)
    with django_assert_max_num_queries(budget) as few:
        assert admin_client.get(url).status_code == 200
    build(account_owner, 27)
    with django_assert_max_num_queries(budget) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- status action --------------------------------------------------------------------------


def _status_post(model, objects, **extra) -> tuple[str, dict]:
    data = {"action": "change_status", ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects], **extra}
    return _url(model, "changelist"), data


@pytest.fixture
def accounts(account_owner):
    return [factories.make_account(account_owner, name=f"Acme {i}") for i in range(3)]


def test_status_action_first_asks_for_the_new_status_and_a_reason(admin_client, accounts):
    url, data = _status_post(Account, accounts[:2])

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "admin/references/change_status.html"
    assert 'name="reason"' in response.content.decode()
    assert set(Account.objects.values_list("status", flat=True)) == {"active"}


@pytest.mark.parametrize("model", [Account, Contact])
def test_status_action_changes_status_and_records_reason_and_actor(
    admin_client, admin_user, customer_account, model
):
    if model is Account:
        targets = [customer_account, factories.make_account(customer_account.owner)]
    else:
        targets = [factories.make_contact(customer_account) for _ in range(2)]
    url, data = _status_post(model, targets, apply="1", to_status="paused", reason="Board reshuffle")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert set(model.objects.filter(pk__in=[t.pk for t in targets]).values_list("status", flat=True)) == {
        "paused"
    }
    history = StatusChange.objects.filter(**{f"{model._meta.model_name}__in": targets})
    assert history.count() == 2
    assert {(h.from_status, h.to_status, h.reason, h.changed_by) for h in history} == {
        ("active", "paused", "Board reshuffle", admin_user)
    }


def test_status_action_refuses_an_empty_reason_and_changes_nothing(admin_client, accounts):
    url, data = _status_post(Account, accounts, apply="1", to_status="retired", reason="  ")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("not changed" in m for m in messages)
    assert set(Account.objects.values_list("status", flat=True)) == {"active"}
    assert not StatusChange.objects.exists()


def test_status_action_across_all_filtered_rows(admin_client, account_owner, accounts):
    retired = factories.make_account(account_owner, status="retired")
    url, data = _status_post(
        Account, accounts[:1], apply="1", to_status="paused", reason="Reorg", select_across="1"
    )

    admin_client.post(url + "?status__exact=active", data)

    assert Account.objects.filter(status="paused").count() == 3
    retired.refresh_from_db()
    assert retired.status == "retired"


def test_status_can_be_changed_from_the_change_form_button(admin_client, admin_user, customer_contact):
    change_url = _url(Contact, "change", customer_contact.pk)
    status_url = _url(Contact, "change_status", customer_contact.pk)
    assert status_url in admin_client.get(change_url).content.decode()

    response = admin_client.post(status_url, {"to_status": "retired", "reason": "Left the company"})

    assert response.status_code == 302
    assert response.url == change_url
    change = StatusChange.objects.get(contact=customer_contact)
    assert (change.to_status, change.reason, change.changed_by) == ("retired", "Left the company", admin_user)


def test_status_button_refuses_the_current_status(admin_client, customer_account):
    response = admin_client.post(
        _url(Account, "change_status", customer_account.pk), {"to_status": "active", "reason": "Again"}
    )

    assert response.status_code == 200
    assert "already Active" in response.content.decode()
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("model", [Account, Contact, ReferenceRequest])
def test_status_is_not_an_editable_field(admin_client, catalogue, model):
    obj = model.objects.first()

    page = admin_client.get(_url(model, "change", obj.pk)).content.decode()

    assert 'name="status"' not in page
    assert obj.get_status_display() in page  # shown, read-only


# --- immutable history ----------------------------------------------------------------------


@pytest.mark.parametrize("model", [StatusChange, RequestEvent])
def test_history_cannot_be_added_changed_or_deleted(admin_client, catalogue, model):
    row = model.objects.first()

    assert admin_client.get(_url(model, "add")).status_code == 403
    assert admin_client.post(_url(model, "change", row.pk), {"reason": "x", "note": "x"}).status_code == 403
    assert admin_client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


# --- CSV export -----------------------------------------------------------------------------


def _export(client, model, objects) -> list[list[str]]:
    data = {"action": "export_as_csv", ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects]}
    response = client.post(_url(model, "changelist"), data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


EXPORTING = [item for item in REGISTERED if export_as_csv in (item[1].actions or [])]


@pytest.mark.parametrize(("model", "model_admin"), EXPORTING, ids=_ids(EXPORTING))
def test_csv_export_works_for_every_admin_that_offers_it(admin_client, catalogue, model, model_admin):
    objects = list(model._default_manager.all()[:5])
    assert objects, f"add a {model.__name__} row to the catalogue fixture"

    header, *body = _export(admin_client, model, objects)

    assert len(body) == len(objects)
    assert all(len(row) == len(header) for row in body)


def test_csv_export_holds_the_selected_rows_only(admin_client, accounts):
    rows = _export(admin_client, Account, accounts[:2])

    header, *body = rows
    assert header[:3] == ["ID", "name", "status"]
    assert sorted(row[1] for row in body) == ["Acme 0", "Acme 1"]
    assert body[0][2] == "Active"  # choices are written as their labels


def test_csv_export_of_contacts_includes_account_and_email(admin_client, customer_contact):
    header, row = _export(admin_client, Contact, [customer_contact])

    assert row[header.index("account")] == "Globex Bank"
    assert row[header.index("email")] == customer_contact.email


def test_csv_export_neutralises_spreadsheet_formulas(admin_client, account_owner):
    account = factories.make_account(account_owner, name='=HYPERLINK("http://evil.test")')

    _, row = _export(admin_client, Account, [account])

    assert row[1] == '\'=HYPERLINK("http://evil.test")'


def test_csv_export_never_writes_secret_like_fields(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    names = [field.name for field in export_fields(admin.site._registry[User], request)]

    assert "username" in names
    assert "password" not in names


# --- who may get in -------------------------------------------------------------------------


def test_non_staff_user_is_sent_to_the_admin_login(client, outsider, catalogue):
    client.force_login(outsider)
    login = reverse("admin:login")

    index = client.get(reverse("admin:index"))
    changelist = client.get(_url(Account, "changelist"))

    assert index.status_code == 302 and index.url.startswith(login)
    assert changelist.status_code == 302 and changelist.url.startswith(login)
    assert "Globex" not in changelist.content.decode()
