"""The forms of the customer's asks: accepting with times, declining, checking a code.

Times are typed in the contact's own zone (the portal runs in it): a date, a start time and a
length per row, five rows, blank rows ignored. The rules (how many, in the future, not
overlapping) are the workflow's (workflows.asks); its refusals come back on the row they name.
"""

from datetime import UTC, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import DateField
from core.text import REASON_MAX_LENGTH
from workflows.asks import MAX_SLOTS

ROWS = range(1, MAX_SLOTS + 1)
LENGTHS = [(15, _("15 minutes")), (30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")),
           (90, _("1½ hours")), (120, _("2 hours")), (180, _("3 hours")), (240, _("4 hours"))]  # fmt: skip


class AcceptForm(forms.Form):
    """2–5 times that suit the customer, and an optional message for the program."""

    note = forms.CharField(
        label=_("A message for the rep and the reference program (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in ROWS:
            self.fields[f"date_{n}"] = DateField(
                label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"time_{n}"] = forms.TimeField(
                label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )
            self.fields[f"length_{n}"] = forms.TypedChoiceField(
                label=_("Length"), choices=LENGTHS, coerce=int, initial=60, required=False
            )

    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"date_{n}"], self[f"time_{n}"], self[f"length_{n}"]) for n in ROWS]

    def clean(self):
        cleaned = super().clean()
        slots = []
        for n in ROWS:
            day, start = cleaned.get(f"date_{n}"), cleaned.get(f"time_{n}")
            typo = f"date_{n}" in self.errors or f"time_{n}" in self.errors
            if day is None or start is None:
                if not typo and (day is not None or start is not None):
                    self.add_error(f"date_{n}", _("Give both the date and the start time."))
                continue  # a blank row, or one whose typing error is shown already
            moment = timezone.make_aware(datetime.combine(day, start))  # in the contact's zone
            back = moment.astimezone(UTC).astimezone(moment.tzinfo).replace(tzinfo=None)
            if back != datetime.combine(day, start):
                # The clocks jump over it (spring forward): no such time in the contact's zone.
                gap = _("This time does not exist in your time zone (the clocks change).")
                self.add_error(f"date_{n}", gap)
                continue
            slots.append((moment, cleaned.get(f"length_{n}") or 60, n))
        cleaned["slots"] = slots
        return cleaned

    def payload(self) -> list[tuple[datetime, int]]:
        return [(moment, minutes) for moment, minutes, _n in self.cleaned_data["slots"]]

    def add_domain_error(self, error: DomainError) -> None:
        """Put the workflow's refusal on the row it names ("slot_2" is the second time given)."""
        field = None
        if error.field and error.field.startswith("slot_"):
            given = [n for _m, _l, n in self.cleaned_data.get("slots", [])]
            index = int(error.field.removeprefix("slot_")) - 1
            if 0 <= index < len(given):
                field = f"date_{given[index]}"
        elif error.field == "note":
            field = "note"
        self.add_error(field, error.message)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("The code you were given"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
