"""My data: what RMS holds about the signed-in contact, its download, and asking to be erased.

Every read starts from `request.contact` (there is no id in these URLs: a contact reaches only
their own data). The download is the same document the page shows, as a JSON attachment, never
cached (`contact_required` marks every portal answer no-store).
"""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from customers.erasure.services import erasure_ask
from customers.export import contact_data, contact_export
from customers.selectors import latest_erasure
from portals.customer.access import contact_required


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I want RMS to erase my personal data. I understand this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want to be erased.")},
    )


def _page(request: HttpRequest, form: EraseForm, status: int = 200) -> HttpResponse:
    context = {
        "data": contact_data(contact=request.contact),
        "erasure": latest_erasure(request.contact),
        "form": form,
        "company": settings.COMPANY_NAME,
    }
    return render(request, "portals/customer/data.html", context, status=status)


@require_safe
@contact_required
def data(request: HttpRequest) -> HttpResponse:
    return _page(request, EraseForm())


@require_safe
@contact_required
def data_download(request: HttpRequest) -> HttpResponse:
    document = contact_export(contact=request.contact)
    body = json.dumps(document, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@contact_required
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    erasure_ask(contact=request.contact)
    messages.success(request, _("We have your request. Your personal data will be erased by the date shown."))
    return redirect("customer:data")
