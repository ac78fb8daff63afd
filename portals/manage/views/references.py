"""Reference pages for managers: accounts and contacts, their edit forms and status changes.

Every write goes through references.services; the forms only parse the request. A status is never
a field of the edit forms: it changes only through its own service, which requires a reason and
keeps the status history.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.manage.forms import (
    AccountForm,
    ContactForm,
    PreferencesForm,
    ReferenceFilterForm,
    StatusChangeForm,
)
from portals.manage.views import PAGE_SIZE
from portals.manage.views.give_back import give_back_context
from portals.shared.paging import paginate, query_without
from portals.shared.responses import tell_what_was_cut
from references import selectors
from references.models import Account, Contact, ParticipationPreferences
from references.services import (
    ConsentSource,
    account_change_status,
    account_update,
    contact_change_status,
    contact_update,
)
from requests_app import selectors as request_selectors


def _filters(form: ReferenceFilterForm) -> dict:
    if not form.is_valid():
        return {}
    return {key: value for key, value in form.cleaned_data.items() if value}


def _catalogue_list(request: HttpRequest, rows, section: str) -> HttpResponse:
    """A filtered, paged list of the catalogue (`rows(user=…, **filters)`): accounts or contacts."""
    form = ReferenceFilterForm(request.GET or None)
    tell_what_was_cut(request, form)
    page = paginate(request, rows(user=request.user, **_filters(form)), per_page=PAGE_SIZE)
    context = {"form": form, "page": page, "page_query": query_without(request.GET), "section": section}
    return render(request, f"portals/manage/{section}.html", context)


@role_required(Role.MANAGER)
def account_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, selectors.account_rows, "accounts")


def _account(request: HttpRequest, pk: int) -> Account:
    account = selectors.account_detail(user=request.user, pk=pk)
    if account is None:
        raise Http404("No such account.")
    return account


def _account_context(account: Account, status_form: StatusChangeForm | None = None) -> dict:
    return {
        "account": account,
        "requests": request_selectors.requests_involving_account(account),
        "status_form": status_form or StatusChangeForm(initial={"to_status": account.status}),
        "section": "accounts",
    }


@role_required(Role.MANAGER)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portals/manage/account_detail.html", _account_context(_account(request, pk)))


@role_required(Role.MANAGER)
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_update(account=account, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{account.name} saved.")
            return redirect("manage:account", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "subject": account, "section": "accounts", "owner_of": account}
    return render(request, "portals/manage/reference_edit.html", context, status=status)


@role_required(Role.MANAGER)
@require_POST
def account_status(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = StatusChangeForm(request.POST)
    try:
        if not form.is_valid():
            return _refused(request, "portals/manage/account_detail.html", _account_context(account, form))
        account = account_change_status(account=account, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        form.add_domain_error(error)
        context = _account_context(account, form)
        return _refused(request, "portals/manage/account_detail.html", context, error.http_status)
    messages.success(request, f"{account.name} is now {account.get_status_display().lower()}.")
    return redirect("manage:account", pk=pk)


def _refused(request: HttpRequest, template: str, context: dict, status: int = 400) -> HttpResponse:
    messages.error(request, "The status was not changed; see the form.")
    return render(request, template, context, status=status)


@role_required(Role.MANAGER)
def contact_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, selectors.contact_rows, "contacts")


def _contact(request: HttpRequest, pk: int) -> Contact:
    contact = selectors.contact_detail(user=request.user, pk=pk)
    if contact is None:
        raise Http404("No such contact.")
    return contact


def _contact_context(contact: Contact, status_form: StatusChangeForm | None = None) -> dict:
    return {
        "contact": contact,
        "preferences": getattr(contact, "preferences", None),
        "requests": request_selectors.requests_involving_contact(contact),
        "status_form": status_form or StatusChangeForm(initial={"to_status": contact.status}),
        "section": "contacts",
        **give_back_context(contact),
    }


@role_required(Role.MANAGER)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portals/manage/contact_detail.html", _contact_context(_contact(request, pk)))


@role_required(Role.MANAGER)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    preferences = getattr(contact, "preferences", None) or ParticipationPreferences(contact=contact)
    form = ContactForm(request.POST or None, instance=contact)
    preferences_form = PreferencesForm(request.POST or None, instance=preferences, prefix="prefs")
    if request.method == "POST" and form.is_valid() and preferences_form.is_valid():
        try:
            contact = contact_update(
                contact=contact,
                preferences=preferences_form.cleaned_data,
                consent=ConsentSource.staff(request.user),
                **form.cleaned_data,
            )
        except DomainError as error:
            # The contact's fields and their preferences' have different names: the error goes to
            # the form that has the field it names.
            on_preferences = error.field in preferences_form.fields
            (preferences_form if on_preferences else form).add_domain_error(error)
        else:
            messages.success(request, f"{contact.full_name} saved.")
            return redirect("manage:contact", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "preferences_form": preferences_form, "subject": contact, "section": "contacts"}
    return render(request, "portals/manage/reference_edit.html", context, status=status)


@role_required(Role.MANAGER)
@require_POST
def contact_status(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    form = StatusChangeForm(request.POST)
    try:
        if not form.is_valid():
            return _refused(request, "portals/manage/contact_detail.html", _contact_context(contact, form))
        contact = contact_change_status(contact=contact, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        form.add_domain_error(error)
        context = _contact_context(contact, form)
        return _refused(request, "portals/manage/contact_detail.html", context, error.http_status)
    messages.success(request, f"{contact.full_name} is now {contact.get_status_display().lower()}.")
    return redirect("manage:contact", pk=pk)
