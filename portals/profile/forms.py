"""The profile page's forms: a new API key (name, scopes, how long it lives)."""

from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from core.forms import DateField, DomainErrorsMixin
from integrations.keys import MAX_DAYS, NAME_MAX_LENGTH, scopes_for
from integrations.models import KeyScope

SCOPE_HELP = {
    KeyScope.READ: "Read: every GET of the API, with what you may see.",
    KeyScope.WRITE: "Write: the API's other calls (submit, act, edit), as you may on the pages.",
    KeyScope.CRM_SYNC: "CRM sync: the CRM's upserts of accounts, contacts and deals.",
}


class ApiKeyForm(DomainErrorsMixin, forms.Form):
    """Expiry: `expires_on` (the key works through that day) if given, else `days` from now."""

    service_fields = {"expires_at": "days"}

    name = forms.CharField(max_length=NAME_MAX_LENGTH, help_text="What uses it, e.g. “Salesforce sync”.")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(
        label="Expires in (days)",
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text=f"At most {MAX_DAYS} days.",
    )
    expires_on = DateField(
        label="…or expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The key works through this day. Leave empty to use the days above.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, SCOPE_HELP[scope]) for scope in scopes_for(user)]
        self.fields["days"].initial = min(settings.API_KEY_DEFAULT_DAYS, MAX_DAYS)
        if not self.is_bound:
            self.initial.setdefault("scopes", [KeyScope.READ])

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        today = timezone.localdate()
        if day is not None and not today < day <= today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(f"Choose a day after today and within {MAX_DAYS} days.")
        return day

    def expires_at(self) -> datetime:
        day = self.cleaned_data.get("expires_on")
        if day is not None:
            next_midnight = datetime.combine(day + timedelta(days=1), time.min)
            return timezone.make_aware(next_midnight)
        days = self.cleaned_data.get("days") or self.fields["days"].initial
        return timezone.now() + timedelta(days=days)
