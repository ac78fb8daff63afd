"""Forms for the sales rep's writes. Each one only parses and shapes input; the rules live in
`requests_app.services`, whose `InvalidInput(field=…)` becomes an error on the named field."""

from django import forms
from django.utils import timezone

from core.dates import a_year_after, day_text
from core.forms import DateField, DomainErrorsMixin
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from references.models import ActivityType, Country, Industry, Opportunity, Persona, Product, SizeBand
from requests_app.models import Nomination

# The stages of a deal still being worked (it closes by being won or lost).
OPEN_STAGES = [c for c in Opportunity.Stage.choices if c[0] != Opportunity.Stage.CLOSED]


class DateInput(forms.DateInput):
    input_type = "date"


def _active(model):
    return model.objects.filter(is_active=True).order_by("sort_order", "name")


class RequestForm(DomainErrorsMixin, forms.Form):
    """Request up to three references, in order of preference, for one of the rep's deals."""

    service_fields = {"contacts": "first_choice"}

    contact = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    first_choice = forms.TypedChoiceField(coerce=int, label="First choice")
    second_choice = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Second choice"
    )
    third_choice = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Third choice")
    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(), empty_label="Choose the deal…", label="Deal"
    )
    activity_type = forms.ModelChoiceField(queryset=_active(ActivityType), empty_label="Choose…")
    needed_by = DateField(widget=DateInput, help_text="When the prospect needs to hear from the reference.")
    prospect_contact_role = forms.ModelChoiceField(
        queryset=_active(Persona),
        required=False,
        empty_label="Not known",
        label="Prospect's contact role",
        help_text="Who at the prospect will talk to the reference.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="Notes for the reference manager",
    )

    def __init__(self, *args, user, references, opportunities, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(card.contact_id, f"{card.name} — {card.account_name}") for card in references]
        self.fields["contact"].choices = choices
        self.fields["first_choice"].choices = [("", "Choose…"), *choices]
        for name in ("second_choice", "third_choice"):
            self.fields[name].choices = [("", "None"), *choices]
        deal_field = self.fields["opportunity"]
        deal_field.queryset = Opportunity.objects.visible_to(user).filter(outcome=Opportunity.Outcome.OPEN)
        # Validation uses the whole queryset; the menu shows the soonest-closing deals only.
        deal_field.widget.choices = [("", "Choose the deal…")] + [
            (deal.pk, f"{deal.prospect_name} (closes {day_text(deal.close_date)})") for deal in opportunities
        ]
        self.fields["needed_by"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["needed_by"].widget.attrs["max"] = a_year_after(timezone.localdate()).isoformat()

    def clean(self):
        cleaned = super().clean()
        ordered = [cleaned.get(name) for name in ("first_choice", "second_choice", "third_choice")]
        ordered = [pk for pk in ordered if pk]
        if len(set(ordered)) != len(ordered):
            raise forms.ValidationError("Choose each reference only once.")
        cleaned["contacts"] = ordered
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        label="Why are you cancelling?",
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes(value: str) -> bool:
    return value == "yes"


class FeedbackForm(DomainErrorsMixin, forms.Form):
    took_place = forms.TypedChoiceField(
        choices=YES_NO, coerce=_yes, widget=forms.RadioSelect, label="Did the activity take place?"
    )
    helpfulness = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        label="How helpful was it? (1 = not at all, 5 = very)",
    )
    would_use_again = forms.TypedChoiceField(
        choices=[*YES_NO, ("", "Not sure")],
        coerce=_yes,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Would you use this reference again?",
    )
    outcome_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="What came of it?",
    )


class NominationForm(DomainErrorsMixin, forms.Form):
    """Nominate someone at a chosen account: an existing contact or a person described here."""

    contact = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Someone not listed here", label="Who"
    )
    contact_name = forms.CharField(max_length=200, required=False, label="Name (if not listed)")
    contact_title = forms.CharField(max_length=200, required=False, label="Job title")
    # The column's length, not the form field's default of 320 (a longer one failed on the database).
    contact_email = forms.EmailField(
        required=False, max_length=Nomination._meta.get_field("contact_email").max_length, label="Email"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        label="Why would they make a good reference?",
    )
    activity_types = forms.ModelMultipleChoiceField(
        queryset=_active(ActivityType),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What might they do?",
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda c: (
            f"{c.first_name} {c.last_name}" + (f", {c.title}" if c.title else "")
        )


class OpportunityForm(DomainErrorsMixin, forms.Form):
    prospect_name = forms.CharField(max_length=200)
    industry = forms.ModelChoiceField(queryset=_active(Industry), empty_label="Choose…")
    country = forms.ModelChoiceField(queryset=_active(Country), empty_label="Choose…")
    size_band = forms.ModelChoiceField(
        queryset=_active(SizeBand), required=False, empty_label="Not known", label="Company size"
    )
    products = forms.ModelMultipleChoiceField(
        queryset=_active(Product), required=False, widget=forms.CheckboxSelectMultiple
    )
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2)
    currency = forms.CharField(max_length=3, initial="USD")
    stage = forms.ChoiceField(choices=OPEN_STAGES, initial=Opportunity.Stage.QUALIFICATION)
    close_date = DateField(widget=DateInput, label="Expected close date")
    opened_on = DateField(
        widget=DateInput, required=False, label="Opened on", help_text="When the deal was opened (optional)."
    )
    external_id = forms.CharField(max_length=64, required=False, label="CRM id (optional)")


class OpportunityEditForm(OpportunityForm):
    """The owner's edit of their deal: every field but its owner and team (`requests_app.deals`);
    marking it won or lost closes it."""

    stage = forms.ChoiceField(choices=Opportunity.Stage.choices)
    outcome = forms.ChoiceField(choices=Opportunity.Outcome.choices, help_text="Won or lost closes the deal.")
    external_id = forms.CharField(max_length=64, required=False, label="CRM id")


class OpportunityProgressForm(DomainErrorsMixin, forms.Form):
    """A deal-team member's edit: where the open deal stands and when it should close."""

    stage = forms.ChoiceField(
        choices=[c for c in Opportunity.Stage.choices if c[0] != Opportunity.Stage.CLOSED]
    )
    close_date = DateField(widget=DateInput, label="Expected close date")


def opportunity_edit_form(deal: Opportunity, *, owner: bool, data=None) -> forms.Form:
    """The edit form the user gets for `deal`, filled with its current values."""
    form_class = OpportunityEditForm if owner else OpportunityProgressForm
    initial = {name: getattr(deal, name) for name in form_class.base_fields if name != "products"}
    if "products" in form_class.base_fields:
        initial["products"] = list(deal.products.all())
    return form_class(data, initial=initial)
