"""The goals page's forms: which quarter to show (GET), and a goal to set (POST)."""

import re

from django import forms

from core.forms import DateField, DomainErrorsMixin
from insights.goals import Quarter, years_allowed
from insights.models import GoalMetric, Team

# `2026-Q4` (ASCII digits only: `\d` would take other scripts' digits).
QUARTER_CODE = re.compile(r"^([0-9]{4})-[Qq]([1-4])\Z")


class QuarterForm(forms.Form):
    """`?quarter=2026-Q4`: the quarter shown (the current one when absent or not valid). Without
    one, the quarter holding `end`, the last day of the range the other tabs link here with (so
    Goals → Revenue → Goals comes back to the same quarter)."""

    quarter = forms.RegexField(
        regex=QUARTER_CODE,
        required=False,
        max_length=7,
        label="Quarter",
        error_messages={"invalid": "Write a quarter as 2026-Q4."},
    )
    end = DateField(required=False)

    def clean_quarter(self) -> Quarter | None:
        text = self.cleaned_data["quarter"]
        if not text:
            return None
        year, number = QUARTER_CODE.fullmatch(text).groups()
        quarter = Quarter(int(year), int(number))
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
