"""The sales portal's GET parameters, parsed by forms like everything a request carries.

These come from the portal's own links and menus; a tampered value is left out (the page shows
what it would without it), and a search box shows its error next to the box.
"""

from django import forms

from core.forms import CutToFitMixin, IdField, IdsField
from references.models import Opportunity
from requests_app.models import RequestStatus
from requests_app.selectors import REQUEST_GROUPS, REQUEST_SORTS

# How many references a link to the request form may carry (three may be requested).
MAX_PICKED = 10


class ParamsForm(forms.Form):
    """A GET form whose invalid fields are simply left out."""

    def value(self, name: str, default=None):
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "", ()) else value


class RequestStartForm(ParamsForm):
    """A link to the request form: the references picked in the search, the deal, the activity
    type and the prospect's contact role."""

    contact = IdsField(limit=MAX_PICKED)
    opportunity = IdField(required=False)
    activity = IdField(required=False)
    role = IdField(required=False)
    activity_type = IdField(required=False)  # the posted form's choice


def _labels(table: dict) -> list[tuple[str, str]]:
    return [(key, entry[0]) for key, entry in table.items()]


class RequestListForm(ParamsForm):
    group = forms.ChoiceField(choices=_labels(REQUEST_GROUPS), required=False)
    sort = forms.ChoiceField(choices=_labels(REQUEST_SORTS), required=False)
    status = forms.ChoiceField(choices=RequestStatus.choices, required=False)
    opportunity = IdField(required=False)


class OpportunityListForm(CutToFitMixin, ParamsForm):
    cut_to_fit = {"q": "Your search text"}

    q = forms.CharField(required=False, max_length=100, label="Prospect or CRM id")
    outcome = forms.ChoiceField(choices=[("all", "Any"), *Opportunity.Outcome.choices], required=False)


class AccountSearchForm(CutToFitMixin, ParamsForm):
    cut_to_fit = {"q": "Your search text"}

    q = forms.CharField(required=False, max_length=100, label="Customer account")
