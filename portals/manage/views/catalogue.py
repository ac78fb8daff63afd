"""The manager's catalogue work beyond editing: new accounts and contacts, retiring them, and
giving an account to another owner.

Each write is the service the admin uses too (references.services; workflows.owners for an owner
change, whose open approvals follow the new owner); the forms only parse. Retiring is a status
change with its reason in the status history: nothing is deleted.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.manage.forms import (
    ACCOUNTS_FOUND_MAX,
    AccountChoiceForm,
    AccountForm,
    AccountOwnerForm,
    NewContactForm,
    PreferencesForm,
    RequestBackForm,
    RetireForm,
)
from portals.manage.views.references import _account, _contact
from references.models import Account, Contact
from references.services import (
    ConsentSource,
    account_change_status,
    account_create,
    contact_change_status,
    contact_create,
)
from references.statuses import ReferenceStatus
from workflows.owners import account_owner_reassign
from workflows.services import display_name


def _answer(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The form page: 200 when asked, 400 when a post was refused."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@role_required(Role.MANAGER)
def account_new(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(**form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{account.name} added as a candidate.")
            return redirect("manage:account", pk=account.pk)
    context = {"form": form, "heading": "New account", "section": "accounts"}
    return _answer(request, "portals/manage/reference_edit.html", context)


@role_required(Role.MANAGER)
def contact_new(request: HttpRequest) -> HttpResponse:
    """A new contact with their participation preferences; `?account=` picks the account."""
    chosen = AccountChoiceForm(request.GET)
    picked = chosen.cleaned_data if chosen.is_valid() else {}
    initial = {"account": picked["account"]} if picked.get("account") else {}
    find = picked.get("find", "")
    form = NewContactForm(request.POST or None, user=request.user, initial=initial, find=find)
    preferences_form = PreferencesForm(request.POST or None, prefix="prefs")
    if request.method == "POST" and form.is_valid() and preferences_form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            contact = contact_create(
                account=fields.pop("account"),
                preferences=preferences_form.cleaned_data,
                consent=ConsentSource.staff(request.user),
                **fields,
            )
        except DomainError as error:
            on_preferences = error.field in preferences_form.fields
            (preferences_form if on_preferences else form).add_domain_error(error)
        else:
            messages.success(request, f"{contact.full_name} added to {contact.account.name} as a candidate.")
            return redirect("manage:contact", pk=contact.pk)
    context = {
        "form": form,
        "preferences_form": preferences_form,
        "heading": "New contact",
        "section": "contacts",
        "account_search": chosen if form.searched else None,
        "accounts_found": getattr(form, "found", None) if find else None,
        "accounts_found_max": ACCOUNTS_FOUND_MAX,
    }
    return _answer(request, "portals/manage/reference_edit.html", context)


def _retire(request: HttpRequest, subject: Account | Contact, change, url_name: str) -> HttpResponse:
    """The confirmation page, and on POST the move to "retired" with its reason (`change` is the
    status service of the subject's kind)."""
    form = RetireForm(request.POST or None)
    kind = "account" if isinstance(subject, Account) else "contact"
    if request.method == "POST" and form.is_valid():
        try:
            change(
                **{kind: subject},
                to_status=ReferenceStatus.RETIRED,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{subject} is retired; its history is kept.")
            return redirect(url_name, pk=subject.pk)
    context = {"form": form, "subject": subject, "back": url_name, "section": f"{kind}s"}
    return _answer(request, "portals/manage/retire_confirm.html", context)


@role_required(Role.MANAGER)
def account_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _retire(request, _account(request, pk), account_change_status, "manage:account")


@role_required(Role.MANAGER)
def contact_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _retire(request, _contact(request, pk), contact_change_status, "manage:contact")


@role_required(Role.MANAGER)
def account_owner(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the account to another owner; the requests waiting for the owner's approval go to them.

    Opened from the account's page or from a request waiting for the owner (`?request=`), where
    it goes back to."""
    account = _account(request, pk)
    if request.method != "POST":
        back = RequestBackForm(request.GET)
        initial = {"request": back.cleaned_data["request"]} if back.is_valid() else {}
        form = AccountOwnerForm(initial=initial, current_owner_id=account.owner_id)
        return _answer(request, "portals/manage/account_owner.html", {"form": form, "account": account})
    form = AccountOwnerForm(request.POST, current_owner_id=account.owner_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            account = account_owner_reassign(
                account=account, owner=data["owner"], reason=data["reason"], actor=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{account.name} now belongs to {display_name(data['owner'])}.")
            if data["request"]:
                return redirect("manage:request", pk=data["request"])
            return redirect("manage:account", pk=pk)
    return _answer(request, "portals/manage/account_owner.html", {"form": form, "account": account})
