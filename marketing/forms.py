"""The library's forms: the search's GET parameters, and recording the use of an asset."""

from django import forms

from core.forms import CutToFitMixin, DomainErrorsMixin, IdsField
from core.text import REASON_MAX_LENGTH
from marketing.models import AssetUse
from marketing.search import AssetFilters, facets_for
from references.models import DealOutcome, Opportunity


class ChoicesField(forms.MultipleChoiceField):
    """Any number of a TextChoices' values (a repeated parameter); an unknown one is an error."""

    widget = forms.MultipleHiddenInput


class AssetSearchForm(CutToFitMixin, forms.Form):
    """The library's search: words and the facets `user` filters by. A malformed value is an
    error on its field and left out of the search."""

    cut_to_fit = {"q": "Your search text"}

    q = forms.CharField(required=False, max_length=200, label="Words")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        for facet in facets_for(user):
            if facet.choices is not None:
                field = ChoicesField(choices=facet.choices.choices, required=False)
            else:
                field = IdsField()
            field.label = facet.label
            self.fields[facet.key] = field
        self.is_valid()

    def filters(self) -> AssetFilters:
        cleaned = self.cleaned_data
        values = {key: tuple(cleaned.get(key) or ()) for key in self.fields if key != "q"}
        return AssetFilters(q=(cleaned.get("q") or "").strip(), **values)


def usable_opportunities(user):
    """The deals `user` may record a use on: theirs (owned or on the team), open or won."""
    deals = Opportunity.objects.visible_to(user).exclude(outcome=DealOutcome.LOST)
    return deals.order_by("prospect_name", "pk")


class AssetUseForm(DomainErrorsMixin, forms.Form):
    """One use of an asset: on one of the rep's deals or for a campaign, and how."""

    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(),
        required=False,
        label="Deal",
        empty_label="— no deal —",
        help_text="One of your open or won deals.",
    )
    campaign = forms.CharField(
        required=False, max_length=200, label="Or a campaign", help_text="When it is not for one deal."
    )
    how = forms.ChoiceField(choices=AssetUse.How.choices, initial=AssetUse.How.OTHER, label="How")
    note = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, label="Note", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["opportunity"].queryset = usable_opportunities(user).select_related(None)

    def clean(self):
        cleaned = super().clean()
        deal, campaign = cleaned.get("opportunity"), (cleaned.get("campaign") or "").strip()
        if deal and campaign:
            self.add_error("campaign", "Name a deal or a campaign, not both.")
        elif not deal and not campaign and not self.has_error("opportunity"):
            self.add_error("opportunity", "Choose the deal you used it on, or name a campaign.")
        cleaned["campaign"] = campaign
        return cleaned
