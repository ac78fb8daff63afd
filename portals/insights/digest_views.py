"""/insights/digest/: the monthly executive digest's preview and recipients. Managers and
executives read it; only managers add or remove recipients and send it now (executives: 403).

"Send now" sends the last full month's digest, the one beat sends on the 1st, to the recipients
who have not had it yet (a recipient added since, or before the 1st): each recipient receives each
month's digest once, so the button never sends anyone the same month twice.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role, has_role
from insights.digest import digest_preview, digest_send, last_full_month, received_by, view_context
from insights.models import DigestRecipient
from insights.recipients import recipient_add, recipient_remove, recipients_listed
from portals.insights.digest_forms import DigestSendForm, RecipientAddForm
from portals.insights.sections import SECTIONS
from portals.insights.views import READERS

TEMPLATE = "portals/insights/digest.html"


def _page(request: HttpRequest, add_form: RecipientAddForm | None = None, status: int = 200) -> HttpResponse:
    month = last_full_month(timezone.localdate())
    view = digest_preview(month)
    user = request.user
    preview = render_to_string(
        "emails/executive_digest.html",
        view_context(view)
        | {"notification": {"title": view.title}, "greeting_name": user.first_name or user.get_username()},
    )
    recipients = list(recipients_listed())
    context = {
        "sections": SECTIONS.values(),
        "view": view,
        "preview": preview,
        "recipients": recipients,
        "received": received_by(month, [recipient.user_id for recipient in recipients]),
        "may_manage": user.is_superuser or has_role(user, Role.MANAGER),
        "add_form": add_form or RecipientAddForm(),
        "send_form": DigestSendForm(),
    }
    return render(request, TEMPLATE, context, status=status)


@role_required(*READERS)
@require_GET
def digest_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@role_required(Role.MANAGER)
@require_POST
def recipient_add_view(request: HttpRequest) -> HttpResponse:
    form = RecipientAddForm(request.POST)
    if form.is_valid():
        try:
            recipient = recipient_add(user=form.cleaned_data["user"], actor=request.user)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"{recipient.user.get_full_name() or recipient.user} receives the digest."
            )
            return redirect("insights:digest")
    return _page(request, add_form=form, status=400)


@role_required(Role.MANAGER)
@require_POST
def recipient_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = get_object_or_404(DigestRecipient.objects.select_related("user"), pk=pk)
    recipient_remove(recipient=recipient)
    messages.success(
        request, f"{recipient.user.get_full_name() or recipient.user} no longer receives the digest."
    )
    return redirect("insights:digest")


@role_required(Role.MANAGER)
@require_POST
def digest_send_view(request: HttpRequest) -> HttpResponse:
    DigestSendForm(request.POST).is_valid()  # nothing to choose; the form only carries the CSRF token
    month = last_full_month(timezone.localdate())
    sent = digest_send(month=month)
    if sent:
        messages.success(request, f"The digest of {month:%B %Y} is on its way to {sent} recipient(s).")
    else:
        messages.info(request, f"Every recipient has already had the digest of {month:%B %Y}.")
    return redirect("insights:digest")
