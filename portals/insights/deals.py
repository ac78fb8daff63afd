"""The deals behind the revenue figures (`insights:deals`): closed deals with a close date in the
range, in the segment, narrowed as the figure's link asks — with references or without
(`influenced`), won or lost (`outcome`), influenced by one reference (`contact`) or by a content
use (`content`). Program-wide like the figures it opens: for the insights readers only, who see
every deal (the role guard is the scope); a deal shows no contact's email or phone."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.forms import IdField
from core.permissions import role_required
from insights.revenue import deals_behind
from portals.insights.forms import InsightFilterForm
from portals.insights.sections import SECTIONS
from portals.insights.views import READERS
from portals.shared.paging import paginate, query_without
from references.models import Contact, DealOutcome

YES_NO = (("", "Any"), ("yes", "With references"), ("no", "Without references"))
OUTCOMES = (("", "Any"), (DealOutcome.WON.value, "Won"), (DealOutcome.LOST.value, "Lost"))


class DealFilterForm(InsightFilterForm):
    influenced = forms.ChoiceField(choices=YES_NO, required=False, label="References")
    outcome = forms.ChoiceField(choices=OUTCOMES, required=False, label="Outcome")
    contact = IdField(required=False, widget=forms.HiddenInput)
    content = forms.ChoiceField(
        choices=(("", "Any"), ("yes", "A content use")), required=False, label="Influenced by"
    )

    def narrowing(self) -> dict:
        """The list's own filters, for `insights.revenue.deals_behind` (none when not valid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        influenced = {"yes": True, "no": False}.get(data["influenced"])
        return {
            "with_references": influenced,
            "outcome": data["outcome"] or None,
            "contact": data["contact"],
            "content": data["content"] == "yes",
        }


@role_required(*READERS)
@require_GET
def deal_list(request: HttpRequest) -> HttpResponse:
    form = DealFilterForm(request.GET or None)
    segment = form.segment()
    narrowing = form.narrowing()
    contact = None
    if narrowing.get("contact"):
        contact = Contact.objects.filter(pk=narrowing["contact"]).only("first_name", "last_name").first()
    page = paginate(request, deals_behind(segment, **narrowing))
    context = {
        "form": form,
        "segment": segment,
        "page": page,
        "contact": contact,
        "sections": SECTIONS.values(),
        "query": segment.query(),
        "page_query": query_without(request.GET),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portals/insights/deals.html", context, status=status)
