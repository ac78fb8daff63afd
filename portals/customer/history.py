"""My history (what the contact did for the program, and what it gave back) and Feedback on one
of their done requests. Both start from `request.contact`: another contact's request is a 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from customers import feedback as service
from customers import giveback
from portals.customer.access import contact_required
from portals.customer.preference_forms import FeedbackForm
from portals.shared.paging import paginate
from references.models import ParticipationPreferences
from requests_app.statuses import FEEDBACK_STATUSES

PAGE_SIZE = 20
WAITING_SHOWN = 20


@contact_required
def history(request: HttpRequest) -> HttpResponse:
    contact = request.contact
    page = paginate(request, service.activity_history(contact), per_page=PAGE_SIZE)
    rows = [
        {
            "activity": activity,
            "prospects": service.prospects_of(activity),
            "requests": [
                served.request
                for served in activity.own_requests
                if served.request.status in FEEDBACK_STATUSES
            ],
        }
        for activity in page.object_list
    ]
    waiting = (
        service.requests_for_feedback(contact)
        .filter(customer_feedback__isnull=True)
        .select_related("activity_type")
        .order_by("-status_changed_at", "-id")[:WAITING_SHOWN]
    )
    wishes = ParticipationPreferences.objects.filter(contact=contact).values_list(
        "wants_in_return", flat=True
    )
    context = {
        "page": page,
        "rows": rows,
        "waiting": list(waiting),
        "wishes": (wishes.first() or "").strip(),
        "given": list(giveback.shared_give_backs(contact)),
        "balance": giveback.balance_of(contact),
    }
    return render(request, "portals/customer/history.html", context)


def _request(request: HttpRequest, pk: int):
    found = service.request_for_feedback(contact=request.contact, pk=pk)
    if found is None:
        raise Http404("No such activity of yours.")
    return found


@contact_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    reference_request = _request(request, pk)
    given = getattr(reference_request, "customer_feedback", None)
    form = None if given else FeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if given is not None:
            messages.error(request, _("You have already given feedback on this activity."))
            status = 409
        elif form.is_valid():
            try:
                service.feedback_give(contact=request.contact, request=reference_request, **form.cleaned_data)
            except Conflict:
                messages.error(request, _("You have already given feedback on this activity."))
                return redirect("customer:feedback", pk=pk)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("customer:history")
        if form is not None and form.errors:
            status = 400
    deal = reference_request.opportunity  # its kind only: the prospect's name never reaches the page
    prospect = service.prospect_of(deal) if deal else None
    context = {"req": reference_request, "given": given, "form": form, "prospect": prospect}
    return render(request, "portals/customer/feedback.html", context, status=status)
