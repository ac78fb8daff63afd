"""The contacts behind a utilization figure (`insights:contacts?which=…` plus the segment): name,
account, status, activities in the range and usage state now — never an email or a phone."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import role_required
from insights.contact_lists import Which, active_ranked, contacts_behind, contacts_on
from insights.usage_counts import HISTOGRAM_TOP
from portals.insights.forms import InsightFilterForm
from portals.insights.views import READERS
from portals.shared.paging import paginate_counted, query_without
from references.visibility import runs_the_program


class ContactListForm(InsightFilterForm):
    which = forms.ChoiceField(choices=Which.choices, required=False, label="Which contacts")
    activities = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=HISTOGRAM_TOP,
        label="Activities in the range",
        help_text=f"Exactly this many ({HISTOGRAM_TOP}: or more); only for active references.",
    )

    def chosen(self) -> tuple[str, int | None]:
        """(which, activities): active references of any count where the input is not valid."""
        if not self.is_bound or not self.is_valid():
            return Which.ACTIVE, None
        which = self.cleaned_data["which"] or Which.ACTIVE
        return which, self.cleaned_data["activities"] if which == Which.ACTIVE else None


@role_required(*READERS)
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    """One query for the page whatever the data (the rows, each with the total; active
    references one more, their contacts); `top` one more (the pool's size)."""
    form = ContactListForm(request.GET or None)
    segment = form.segment()
    which, activities = form.chosen()
    if which == Which.ACTIVE:  # the largest list: ranked from the activities' counts
        page = paginate_counted(request, active_ranked(request.user, segment, activities))
        page.object_list = contacts_on(page.object_list)
    else:
        page = paginate_counted(request, contacts_behind(request.user, segment, which, activities))
    context = {
        "form": form,
        "segment": segment,
        "which": Which(which),
        "activities": activities,
        "histogram_top": HISTOGRAM_TOP,
        "page": page,
        "page_query": query_without(request.GET),
        "links_contacts": runs_the_program(request.user),
        "back": segment.query(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portals/insights/contacts.html", context, status=status)
