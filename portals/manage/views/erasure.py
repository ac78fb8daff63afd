"""Carrying out a contact's erasure request: the confirmation page, reached from My tasks.

The write is `customers.erasure.services.contact_erase` (one transaction, the contact locked);
the page only says what it will do and what stays, and asks for the confirmation.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.errors import DomainError
from core.forms import DomainErrorsMixin
from core.permissions import role_required
from core.roles import Role
from customers.erasure.services import contact_erase
from customers.selectors import erasure_detail, erasure_impact


class EraseForm(DomainErrorsMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I understand that the contact's personal data is erased for good",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )


@role_required(Role.MANAGER)
def erasure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = erasure_detail(pk)
    if erasure is None:
        raise Http404("No such erasure request.")
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_erase(erasure_id=erasure.pk, actor=request.user)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Contact #{erasure.contact_id} is erased and retired.")
            return redirect("tasks:list")
    context = {
        "erasure": erasure,
        "contact": erasure.contact,
        "impact": erasure_impact(erasure.contact) if erasure.is_open else None,
        "form": form,
        "section": "tasks",
    }
    return render(request, "portals/manage/erasure_confirm.html", context, status=400 if form.errors else 200)
