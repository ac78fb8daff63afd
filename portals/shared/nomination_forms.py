"""The account owner's answer to a nomination of their account: the sales portal's consent page,
and a manager's "on behalf of" on the nomination's page."""

from django import forms

from core.forms import DomainErrorsMixin
from core.text import REASON_MAX_LENGTH


class ConsentForm(DomainErrorsMixin, forms.Form):
    """The owner's answer (or a manager's on their behalf)."""

    answer = forms.ChoiceField(
        choices=[("give", "Give consent"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        label="Your answer",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        label="Note (required when refusing)",
    )
