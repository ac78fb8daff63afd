"""Give-back: record what the program gave a contact, remove one recorded by mistake, and the
program's list of contacts asked a lot and given little (`customers.giveback`)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from customers import giveback
from customers.models import GiveBack
from portals.manage.give_back_forms import GiveBackFilterForm, GiveBackForm
from portals.manage.views import PAGE_SIZE
from portals.shared.paging import paginate, query_without
from references.models import Contact


@role_required(Role.MANAGER)
def give_back_list(request: HttpRequest) -> HttpResponse:
    """Contacts asked at least N times in the window and given back less, most owed first:
    two queries (the count and the page) however many contacts there are."""
    form = GiveBackFilterForm(request.GET or None)
    chosen = form.values()
    rows = giveback.asked_much_given_little(request.user, **chosen)
    context = {
        "form": form,
        "chosen": chosen,
        "page": paginate(request, rows, per_page=PAGE_SIZE),
        "page_query": query_without(request.GET),
        "section": "give-back",
    }
    return render(request, "portals/manage/give_back.html", context)


def _contact(request: HttpRequest, pk: int) -> Contact:
    contact = Contact.objects.visible_to(request.user).select_related("account").filter(pk=pk).first()
    if contact is None:
        raise Http404("No such contact.")
    return contact


def give_back_context(contact: Contact, form: GiveBackForm | None = None) -> dict:
    """What the contact page's Give-back section shows: the balance, the list and the form."""
    return {
        "give_backs": list(giveback.give_backs_of(contact)),
        "balance": giveback.balance_of(contact),
        "give_back_form": form or GiveBackForm(contact=contact),
    }


@role_required(Role.MANAGER)
def contact_give_back(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a give-back for the contact (the form is also on the contact's page)."""
    contact = _contact(request, pk)
    form = GiveBackForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = giveback.giveback_record(contact=contact, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{recorded.get_kind_display()} recorded for {contact.full_name}.")
            return redirect(reverse("manage:contact", kwargs={"pk": pk}) + "#give-back")
    status = 400 if request.method == "POST" else 200
    context = {"contact": contact, "section": "contacts", **give_back_context(contact, form)}
    return render(request, "portals/manage/give_back_contact.html", context, status=status)


@role_required(Role.MANAGER)
@require_POST
def give_back_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = GiveBack.objects.filter(contact__in=Contact.objects.visible_to(request.user), pk=pk)
    give_back = found.select_related("contact").first()
    if give_back is None:
        raise Http404("No such give-back.")
    try:
        giveback.giveback_remove(give_back=give_back, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("manage:contact", pk=give_back.contact_id)
    what, whose = give_back.get_kind_display(), give_back.contact.full_name
    messages.success(request, f"{what} removed from {whose}'s record.")
    return redirect(reverse("manage:contact", kwargs={"pk": give_back.contact_id}) + "#give-back")
