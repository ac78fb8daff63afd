"""The insights pages' filters: a date range and the segment, parsed into an `insights.Segment`."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import DateField
from insights.models import Team
from insights.segments import FILTERS, Segment
from references.models import ActivityType, Industry, Product, Region

LONGEST_RANGE_DAYS = 366 * 5


def default_range():
    """The last twelve months, ending today."""
    today = timezone.localdate()
    return today - timedelta(days=364), today


class _ReadAtOnce(forms.models.ModelChoiceIterator):
    """The options in one query. Django's own iterator reads them through a server-side cursor
    (DECLARE, FETCH, CLOSE: three round trips a field, five fields a page) — the insights pages'
    largest cost outside their figures (bench/insights.py)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _ChoiceField(forms.ModelChoiceField):
    iterator = _ReadAtOnce


def _choice(queryset, label: str) -> forms.ModelChoiceField:
    return _ChoiceField(
        queryset=queryset,
        required=False,
        label=label,
        empty_label="Any",
        error_messages={"invalid_choice": f"Choose a {label.lower()} from the list."},
    )


class InsightFilterForm(forms.Form):
    start = DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    industry = _choice(Industry.objects.order_by("sort_order", "name"), "Industry")
    product = _choice(Product.objects.order_by("sort_order", "name"), "Product")
    region = _choice(Region.objects.order_by("sort_order", "name"), "Region")
    activity_type = _choice(ActivityType.objects.order_by("sort_order", "name"), "Activity type")
    team = _choice(Team.objects.order_by("name"), "Team")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end comes before the start.")
        # A start alone runs to today (`segment`): the same cap, or it would read a century.
        elif start and ((end or default_range()[1]) - start).days > LONGEST_RANGE_DAYS:
            self.add_error("end" if end else "start", "Choose a range of at most five years.")
        return data

    def segment(self) -> Segment:
        """The segment asked for; the default range and no filters where the input is not valid
        (the page shows the errors beside the fields)."""
        start, end = default_range()
        if not self.is_bound or not self.is_valid():
            return Segment(start, end)
        data = self.cleaned_data
        start = data["start"] or (data["end"] - timedelta(days=364) if data["end"] else start)
        end = data["end"] or max(end, start)
        picked = {name: data[name].pk for name in FILTERS if data[name]}
        return Segment(start, end, **picked)
