"""Forms of the manager's give-back pages: recording one, and the program list's filters."""

from django import forms
from django.utils import timezone

from core.forms import DateField, DomainErrorsMixin
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from customers.giveback import DEFAULT_MIN_ASKS, DEFAULT_WINDOW, WINDOWS, own_requests
from customers.statuses import GiveBackKind
from references.models import Contact
from requests_app.models import ReferenceRequest

MAX_MIN_ASKS = 1000


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceRequest) -> str:
        return f"#{obj.pk} {obj.activity_type.name} ({obj.get_status_display().lower()})"


class GiveBackForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=GiveBackKind.choices, label="What the program gave")
    given_on = DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Given on")
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=REASON_MAX_LENGTH,
        label="Message to the customer",
        help_text="Shown in their portal history, beside the kind and the day.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="Program note",
        help_text="Not in their portal history; they read it with their data (My data, the download).",
    )
    request = RequestChoiceField(
        ReferenceRequest.objects.none(), required=False, label="Thanks for request", empty_label="—"
    )

    def __init__(self, *args, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = own_requests(contact)
        self.fields["given_on"].initial = timezone.localdate()


class GiveBackFilterForm(forms.Form):
    """The program list's filters; an invalid value is dropped (the default applies)."""

    months = forms.TypedChoiceField(
        choices=[(m, f"{m} months") for m in WINDOWS],
        coerce=int,
        required=False,
        label="Window",
        initial=DEFAULT_WINDOW,
    )
    min_asks = forms.IntegerField(
        min_value=1, max_value=MAX_MIN_ASKS, required=False, label="At least … asks", initial=DEFAULT_MIN_ASKS
    )

    def values(self) -> dict:
        data = {}
        if self.is_bound:
            self.is_valid()  # the valid fields stay in cleaned_data; the others take their default
            data = self.cleaned_data
        return {
            "months": data.get("months") or DEFAULT_WINDOW,
            "min_asks": data.get("min_asks") or DEFAULT_MIN_ASKS,
        }
