"""What each customer account permits marketing: the list, and one account's page where a
permission is recorded (its agreement file checked by marketing.uploads)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from marketing.permissions import permission_set
from marketing.selectors import accounts_with_permissions, permission_history, permissions_by_kind
from marketing.statuses import PermissionKind
from portals.content.forms import AccountFilterForm, PermissionForm
from portals.shared.paging import paginate, query_without
from references.models import Account

KEEPERS = (Role.MARKETING, Role.MANAGER)


@role_required(*KEEPERS)
@require_GET
def permission_list(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None)
    name = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, accounts_with_permissions(request.user, name))
    for account in page:  # each row: the account's answer per kind, in the columns' order
        by_kind = {p.kind: p for p in account.permissions.all()}
        account.answers = [by_kind.get(kind) for kind in PermissionKind.values]
    return render(
        request,
        "portals/content/permissions.html",
        {
            "form": form,
            "page": page,
            "page_query": query_without(request.GET),
            "kinds": PermissionKind.choices,
            "today": timezone.localdate(),
            "section": "permissions",
        },
    )


@role_required(*KEEPERS)
def account_permissions(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=account_id)
    form = PermissionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                permission = permission_set(actor=request.user, account=account, **data)
            except DomainError as error:
                form.add_domain_error(error)
                status = error.http_status
            else:
                messages.success(
                    request,
                    f"Recorded: {permission.get_kind_display()} {permission.get_state_display().lower()}.",
                )
                return redirect("content:account-permissions", account_id=account.pk)
    context = {
        "account": account,
        "form": form,
        "rows": permissions_by_kind(account),
        "history": permission_history(account),
        "today": timezone.localdate(),
        "section": "permissions",
    }
    return render(request, "portals/content/account_permissions.html", context, status=status)
