"""The executive digest page's forms: add a recipient, send the digest now."""

from django import forms

from core.forms import DomainErrorsMixin
from insights.recipients import eligible_users


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class RecipientAddForm(DomainErrorsMixin, forms.Form):
    """A manager or an executive who does not receive the digest yet."""

    user = RecipientChoiceField(
        queryset=None,
        label="Add a recipient",
        empty_label="Choose a manager or an executive",
        error_messages={
            "required": "Choose who should receive the digest.",
            "invalid_choice": "Choose a manager or an executive from the list.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible_users()


class DigestSendForm(forms.Form):
    """Send last month's digest now (no choices: the button says which month)."""
