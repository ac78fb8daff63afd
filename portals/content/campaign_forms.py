"""Forms of marketing's campaign and event pages. They parse and shape input; the rules live in
the services (`workflows.services.request_submit`, `workflows.planned_events`), whose
`InvalidInput(field=…)` lands on the named field."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from core.dates import a_year_after
from core.forms import CutToFitMixin, DateField, DateTimeField, DomainErrorsMixin, IdField, IdsField
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from references.models import ActivityType, Contact
from references.taxonomy_data import CAMPAIGN_ACTIVITY_TYPES
from requests_app.forms import DateInput
from requests_app.models import ReferenceRequest
from workflows.planned_events import MAX_CAPACITY, MAX_SPEAKERS, event_activity_types

SEARCH_LIMIT = 20


def kept_ids(data, *names: str, limit: int) -> tuple[int, ...]:
    """The contact ids a posted form chose (kept among the choices however the search changed);
    () for a GET or a malformed id, which the form itself then reports."""
    values = [v for name in names for v in data.getlist(name) if v]
    try:
        return IdsField(limit=limit).clean(values)
    except ValidationError:
        return ()


class ReferenceSearchForm(CutToFitMixin, forms.Form):
    """The simple search for references: a name, title or account, among offerable contacts."""

    cut_to_fit = {"q": "the search"}

    q = forms.CharField(required=False, max_length=100, label="Find references", strip=True)

    def results(self, keep: tuple[int, ...] = ()) -> list[Contact]:
        """Up to SEARCH_LIMIT offerable contacts matching the text, plus those already chosen."""
        text = self.cleaned_data.get("q", "") if self.is_valid() else ""
        found = (
            Contact.objects.offerable()
            .select_related("account")
            .only("id", "first_name", "last_name", "title", "account__name")
        )
        match = Q(pk__in=keep)
        for word in text.split()[:5]:
            match |= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
            match |= Q(account__name__icontains=word) | Q(title__icontains=word)
        if not text and not keep:
            return []
        return list(
            found.filter(match).order_by("account__name", "last_name", "id")[: SEARCH_LIMIT + len(keep)]
        )


def _campaign_types():
    return ActivityType.objects.filter(code__in=CAMPAIGN_ACTIVITY_TYPES, is_active=True).order_by(
        "sort_order"
    )


class CampaignRequestForm(DomainErrorsMixin, forms.Form):
    """Ask for up to three references, in order of preference, for a campaign (no deal)."""

    service_fields = {"contacts": "first_choice", "opportunity": "campaign"}

    campaign = forms.CharField(
        max_length=ReferenceRequest._meta.get_field("campaign").max_length,
        label="Campaign",
        help_text="What it is for: the press tour, the analyst briefing, the conference.",
    )
    activity_type = forms.ModelChoiceField(
        queryset=_campaign_types(), empty_label="Choose…", label="Activity"
    )
    needed_by = DateField(widget=DateInput)
    first_choice = IdField(label="First choice")
    second_choice = IdField(required=False, label="Second choice")
    third_choice = IdField(required=False, label="Third choice")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="Notes for the reference manager",
    )

    def __init__(self, *args, references: list[Contact] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = _campaign_types()
        choices = [(c.pk, f"{c.full_name} — {c.account.name}") for c in references]
        self.fields["first_choice"].widget = forms.Select(choices=[("", "Choose…"), *choices])
        for name in ("second_choice", "third_choice"):
            self.fields[name].widget = forms.Select(choices=[("", "None"), *choices])
        self.fields["needed_by"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["needed_by"].widget.attrs["max"] = a_year_after(timezone.localdate()).isoformat()

    def clean(self):
        cleaned = super().clean()
        ordered = [cleaned.get(name) for name in ("first_choice", "second_choice", "third_choice")]
        cleaned["contacts"] = [pk for pk in ordered if pk]
        return cleaned


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class PlannedEventForm(DomainErrorsMixin, forms.Form):
    """Plan an event: its kind, title, start, length, capacity and speakers (chosen from a search)."""

    service_fields = {"speaker_ids": "speakers"}

    title = forms.CharField(max_length=200)
    activity_type = forms.ModelChoiceField(
        queryset=ActivityType.objects.none(), empty_label="Choose…", label="Kind"
    )
    starts_at = DateTimeField(widget=DateTimeInput, label="Starts at")
    duration_minutes = forms.IntegerField(min_value=15, max_value=8 * 60, initial=60, label="Minutes")
    capacity = forms.IntegerField(
        min_value=1, max_value=MAX_CAPACITY, initial=10, help_text="Deals that may sign up."
    )
    speakers = IdsField(limit=MAX_SPEAKERS, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, references: list[Contact] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = event_activity_types().order_by("sort_order")
        self.fields["speakers"].widget.choices = [
            (c.pk, f"{c.full_name} — {c.account.name}") for c in references
        ]


class RecordEventForm(DomainErrorsMixin, forms.Form):
    """After the event: who spoke, which signed-up deals attended, and how it went."""

    service_fields = {"attended_signup_ids": "attended", "speaker_ids": "speakers"}

    speakers = IdsField(limit=MAX_SPEAKERS, widget=forms.CheckboxSelectMultiple, label="Who spoke")
    attended = IdsField(required=False, widget=forms.CheckboxSelectMultiple, label="Deals that attended")
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="How it went",
    )

    def __init__(self, *args, planned=None, **kwargs):
        super().__init__(*args, **kwargs)
        if planned is not None:
            self.fields["speakers"].widget.choices = [
                (c.pk, f"{c.full_name} — {c.account.name}") for c in planned.speakers.all()
            ]
            self.fields["attended"].widget.choices = [
                (s.pk, s.opportunity.prospect_name) for s in planned.signup_rows
            ]


class CancelEventForm(DomainErrorsMixin, forms.Form):
    """Calling a planned event off: why, for the reps whose deals were signed up."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
        label="Why it is called off",
        help_text="The reps whose deals are signed up read it.",
    )
