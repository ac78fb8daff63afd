"""Forms of the managers' nominations queue and a nomination's actions."""

from django import forms

from core.forms import DomainErrorsMixin
from core.text import REASON_MAX_LENGTH
from references.models import Account, Industry, Persona, Product, Region
from references.statuses import ReferenceStatus
from requests_app.models import Nomination
from workflows.nomination_selectors import OPEN, QueueFilters

STATUS_CHOICES = [(OPEN, "Waiting (submitted or qualifying)"), *Nomination.Status.choices, ("all", "All")]


class QueueFilterForm(forms.Form):
    """The queue's GET filters (the insights "recruit here" links open it filtered to a segment:
    industry, product and region ids). An invalid value is dropped on its own; the other filters
    still apply."""

    # A volunteer's company not matched to an account yet has no segment (typed text only).
    segment_help = (
        "Industry, product and region are the nominated account's: volunteers whose company is not "
        "matched to an account yet are left out while one of them is chosen."
    )

    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    source = forms.ChoiceField(choices=[("", "Any source"), *Nomination.Source.choices], required=False)
    industry = forms.ModelChoiceField(Industry.objects.all(), required=False, empty_label="Any industry")
    product = forms.ModelChoiceField(Product.objects.all(), required=False, empty_label="Any product")
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="Any region")

    def filters(self) -> QueueFilters:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: value for name, value in cleaned.items() if name not in self.errors}
        status = data.get("status") or OPEN
        return QueueFilters(
            status="" if status == "all" else status,
            source=data.get("source") or "",
            industry=data["industry"].pk if data.get("industry") else None,
            product=data["product"].pk if data.get("product") else None,
            region=data["region"].pk if data.get("region") else None,
        )


class _Acting(DomainErrorsMixin, forms.Form):
    # The status the page showed: a move made meanwhile by someone else is a 409, not a surprise.
    expected_status = forms.ChoiceField(
        choices=Nomination.Status.choices, required=False, widget=forms.HiddenInput
    )


class QualifyForm(_Acting):
    account = forms.ModelChoiceField(
        Account.objects.exclude(status=ReferenceStatus.DEFECTED),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        label="Account number (for a volunteer not matched yet)",
        error_messages={"invalid_choice": "No customer account has that number."},
    )


class AcceptForm(_Acting):
    persona = forms.ModelChoiceField(
        Persona.objects.filter(is_active=True),
        required=False,
        empty_label="Choose…",
        label="Persona (a new contact)",
    )
    email = forms.EmailField(required=False, label="Email (if the nomination has none)")


class DeclineForm(_Acting):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        label="Why (the nominator reads this)",
        error_messages={"required": "Say why the nomination is declined: the nominator reads it."},
    )
