"""The admin is for administrators and reference managers: sales and marketing get nothing from it,
on any URL it registers, even with `is_staff` set by mistake — the admin's own refusal, a 302 to
its login page that says they are not authorised."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from core.roles import Role
from references.models import AccountNote, Contact
from tests.builders import catalogue as factories

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
MODEL_VIEWS = ["changelist", "add", "change", "delete", "history", "change_status"]


@pytest.fixture
def rows(admin_user, sales_rep, other_rep, customer_contact):
    """A contact with details, a note and deals of two reps: what the admin must not hand out."""
    AccountNote.objects.create(account=customer_contact.account, body="Renewal at risk", author=admin_user)
    factories.make_opportunity(sales_rep, prospect_name="Sally's deal")
    return factories.make_opportunity(other_rep, prospect_name="Oscar's deal", amount=500_000)


def _object_id(model) -> str:
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else "1"


def admin_urls() -> list[str]:
    """Every URL the admin site registers: its own views, each app's index, and each model's views
    (with a real row where one exists)."""
    urls = [
        reverse("admin:index"),
        reverse("admin:jsi18n"),
        reverse("admin:password_change"),
        reverse("admin:autocomplete") + "?app_label=references&model_name=opportunity&field_name=owner",
        reverse("admin:autocomplete")
        + "?app_label=references&model_name=referenceactivity&field_name=contact",
        "/admin/no/such/page/",  # the catch-all
    ]
    urls += [reverse("admin:app_list", args=[label]) for label in {m._meta.app_label for m in REGISTERED}]
    for model in REGISTERED:
        opts = model._meta
        for view in MODEL_VIEWS:
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                try:
                    urls.append(reverse(name, args=[_object_id(model)]))
                except NoReverseMatch:
                    continue  # this model has no such view
    contact = Contact.objects.order_by("pk").first()
    content_type = ContentType.objects.get_for_model(Contact)
    urls.append(reverse("admin:view_on_site", args=[content_type.pk, contact.pk]))
    return urls


def _refused(response) -> bool:
    """The admin's refusal of a signed-in user without permission: to its login page, which
    then says they are not authorised."""
    return response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")


@pytest.fixture(params=["sales_rep", "account_owner", "marketer", "staff_rep"])
def outsider_client(request, client, rows):
    if request.param == "staff_rep":
        # A rep whose staff flag was set by mistake: the role, not the flag, decides.
        user = factories.make_user("stan", Role.SALES, is_staff=True)
    else:
        user = request.getfixturevalue(request.param)
    client.force_login(user)
    return client


def test_sales_and_marketing_are_refused_on_every_admin_url(outsider_client):
    urls = admin_urls()
    assert len(urls) > 100  # every registered model's views are in the walk

    answered = {url: outsider_client.get(url) for url in urls}

    let_through = [(url, r.status_code) for url, r in answered.items() if not _refused(r)]
    assert let_through == []


def test_the_login_page_tells_them_they_are_not_authorised(outsider_client):
    response = outsider_client.get(reverse("admin:references_contact_changelist"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert "not authorized to access this page" in page
    assert "customer@globex.test" not in page and "Globex" not in page


def test_the_contact_export_gives_them_no_email_or_phone(outsider_client, customer_contact):
    url = reverse("admin:references_contact_changelist")
    data = {"action": "export_as_csv", ACTION_CHECKBOX_NAME: [customer_contact.pk], "select_across": "1"}

    response = outsider_client.post(url, data)

    assert _refused(response)
    assert response.get("Content-Type", "").startswith("text/html")
    assert customer_contact.email.encode() not in response.content


def test_a_rep_cannot_edit_another_reps_deal_in_the_admin(outsider_client, other_rep, rows):
    deal = rows
    url = reverse("admin:references_opportunity_change", args=[deal.pk])

    response = outsider_client.post(url, {"prospect_name": "Mine now", "amount": "1", "owner": "1"})

    assert _refused(response)
    deal.refresh_from_db()
    assert (deal.prospect_name, deal.amount, deal.owner) == ("Oscar's deal", 500_000, other_rep)
    assert not deal.team.exists()


def test_a_staff_rep_cannot_sign_in_through_the_admin_login(client, rows):
    factories.make_user("stan", Role.SALES, is_staff=True)

    response = client.post(reverse("admin:login"), {"username": "stan", "password": "pw"})

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_being_turned_away_by_the_admin_with_the_right_password_does_not_lock_the_rep_out(client, rows):
    """Each refusal at the admin's door came after a right password: none may count as a failure."""
    factories.make_user("stan", Role.SALES, is_staff=True)
    for _ in range(6):
        client.post(reverse("admin:login"), {"username": "stan", "password": "pw"})

    response = client.post(reverse("login"), {"username": "stan", "password": "pw"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_sales_and_marketing_groups_hold_no_model_permission(db):
    for role in (Role.SALES, Role.MARKETING):
        assert list(Group.objects.get(name=role.value).permissions.values_list("codename", flat=True)) == []


def test_the_portals_offer_the_admin_link_only_to_those_it_lets_in(client, sales_rep, manager):
    client.force_login(sales_rep)
    assert 'href="/admin/"' not in client.get(reverse("sales:home")).content.decode()

    client.force_login(manager)
    assert 'href="/admin/"' in client.get(reverse("manage:home")).content.decode()


def test_a_staff_manager_and_the_administrator_get_in(client, manager, admin_user, rows):
    for user in (manager, admin_user):
        client.force_login(user)
        assert client.get(reverse("admin:references_contact_changelist")).status_code == 200


def test_a_manager_without_the_staff_flag_is_refused(client, rows):
    client.force_login(factories.make_user("mona", Role.MANAGER, is_staff=False))

    url = reverse("admin:index")
    assert _refused(client.get(url))


def test_a_manager_reaches_only_the_catalogue(client, manager):
    """The catalogue, and the program's teams, goals and digest recipients (insights)."""
    client.force_login(manager)

    apps = client.get(reverse("admin:index")).context["app_list"]

    assert [app["app_label"] for app in apps] == ["insights", "references"]
    url = reverse("admin:auth_user_changelist")
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:requests_app_referencerequest_changelist")).status_code == 403
