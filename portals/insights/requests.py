"""The requests behind the fulfilment figures: /insights/requests/ (`insights:requests`).

Takes the segment's parameters and, to say which requests (`insights.request_rows.RequestRows`):
`status` (now in that status, created in the range), `reached=completed` (reached "completed" in
the range: the goal "requests fulfilled"), `late_step` (a workflow step's id: with a task of that
step past its due time), `ended=declined|expired` (declined or expired in the range) with `by`
(program, owner, customer: who declined), `scheduled=yes` (scheduled, created in the range) and
`fulfilment` (fulfilled, unfulfilled, open). Bad values: the errors beside the fields and 400,
with the whole range and no filter, as on the figures' pages.

Insights readers (managers and executives) read program-wide figures, so the list shows every
request of the segment, not only the reader's own; the request's page (in the manager portal)
is linked for those who may open it. No contact's email or phone is shown.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role, has_role
from insights.fulfilment import Decliner, Fulfilment
from insights.request_rows import RequestRows, request_rows
from portals.insights.forms import InsightFilterForm
from portals.insights.views import READERS
from portals.shared.paging import paginate, query_without
from requests_app.statuses import RequestStatus
from workflows.models import WorkflowStep

YES = "yes"


def _choice(choices, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", "Any"), *choices], required=False, label=label)


class RequestRowsForm(InsightFilterForm):
    status = _choice(RequestStatus.choices, "Status now")
    reached = _choice([(RequestStatus.COMPLETED.value, "Completed in the range")], "Reached")
    scheduled = _choice([(YES, "Scheduled")], "Scheduled")
    fulfilment = _choice(Fulfilment.choices, "Fulfilment")
    ended = _choice(
        [
            (RequestStatus.DECLINED.value, "Declined in the range"),
            (RequestStatus.EXPIRED.value, "Expired in the range"),
        ],
        "Ended",
    )
    by = _choice([(who.value, who.label) for who in Decliner if who != Decliner.EXPIRY], "Declined by")
    late_step = forms.ModelChoiceField(
        queryset=WorkflowStep.objects.select_related("template").order_by("template__name", "order"),
        required=False,
        label="Late at step",
        empty_label="Any",
    )

    def which(self) -> RequestRows:
        """The rows asked for (all of the segment's when the input is not valid)."""
        if not self.is_bound or not self.is_valid():
            return RequestRows()
        data = self.cleaned_data
        return RequestRows(
            status=data["status"],
            reached=data["reached"],
            late_step=data["late_step"].pk if data["late_step"] else None,
            ended=data["ended"],
            by=data["by"] if data["ended"] == RequestStatus.DECLINED else "",
            scheduled=data["scheduled"] == YES,
            fulfilment=data["fulfilment"],
        )


def describe(which: RequestRows) -> str:
    """What the list holds, in words."""
    if which.reached:
        return "Requests that reached “completed” in the range"
    if which.ended:
        label = "expired" if which.ended == RequestStatus.EXPIRED else "declined"
        by = f" ({Decliner(which.by).label.lower()})" if which.by else ""
        return f"Requests {label} in the range{by}"
    return "Requests created in the range"


@role_required(*READERS)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    form = RequestRowsForm(request.GET or None)
    segment, which = form.segment(), form.which()
    context = {
        "form": form,
        "segment": segment,
        "which": which,
        "title": describe(which),
        "page": paginate(request, request_rows(segment, which)),
        "page_query": query_without(request.GET),
        "links_to_requests": has_role(request.user, Role.MANAGER),
        "query": segment.query(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portals/insights/requests.html", context, status=status)
