"""The goals page's forms: which quarter to show (GET), and a goal to set (POST)."""

from django import forms

from core.forms import DateField, DomainErrorsMixin
from insights.goals import Quarter, years_allowed
from insights.models import GoalMetric, Team


class QuarterForm(forms.Form):
    """`?quarter=2026-Q4`: the quarter shown (the current one when absent or not valid). Without
    one, the quarter holding `end`, the last day of the range the other tabs link here with (so
    Goals → Revenue → Goals comes back to the same quarter)."""

    quarter = forms.CharField(required=False, max_length=7, label="Quarter")
    end = DateField(required=False)

    def clean_quarter(self) -> Quarter | None:
        text = self.cleaned_data["quarter"]
        if not text:
            return None
        try:
            quarter = Quarter.parse(text)
        except ValueError:
            raise forms.ValidationError("Write a quarter as 2026-Q4.") from None
        allowed = years_allowed()
        if quarter.year not in allowed:
            raise forms.ValidationError(f"Choose a quarter from {allowed[0]} to {allowed[-1]}.")
        return quarter

    def chosen(self) -> Quarter:
        if not (self.is_bound and self.is_valid()):
            return Quarter.current()
        if self.cleaned_data["quarter"]:
            return self.cleaned_data["quarter"]
        end = self.cleaned_data["end"]
        if end is not None and end.year in years_allowed():
            return Quarter.of(end)
        return Quarter.current()


class GoalForm(DomainErrorsMixin, forms.Form):
    """A target for one measure, quarter and team (no team: the whole program). Setting a goal
    that exists changes its target."""

    year = forms.TypedChoiceField(coerce=int, label="Year")
    quarter = forms.TypedChoiceField(
        coerce=int, choices=[(n, f"Q{n}") for n in (1, 2, 3, 4)], label="Quarter"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="Whole program",
        label="Team",
        error_messages={"invalid_choice": "Choose a team from the list."},
    )
    metric = forms.ChoiceField(choices=GoalMetric.choices, label="Measure")
    target = forms.DecimalField(min_value=0, max_digits=16, decimal_places=2, label="Target")

    def __init__(self, *args, quarter: Quarter | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years_allowed()]
        if quarter is not None and not self.is_bound:
            self.initial.update(year=quarter.year, quarter=quarter.number)
