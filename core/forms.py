"""Form plumbing shared by every page that writes through a service, and the fields every form
parses ids and dates with (so a tampered value is an error on its field, never a server error)."""

from django import forms
from django.core.exceptions import ValidationError

from core.dates import validate_sane_date, zone_choices
from core.errors import DomainError

# The largest id a form accepts: every table's ids fit, and a bigger number is a field error
# instead of an integer the database refuses.
MAX_ID = 2**31 - 1


class DateField(forms.DateField):
    default_validators = [validate_sane_date]


class DateTimeField(forms.DateTimeField):
    default_validators = [validate_sane_date]


class SaneDatesMixin:
    """For model forms: the date fields Django makes from the model refuse far dates too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            dated = isinstance(field, forms.DateField | forms.DateTimeField)
            if dated and validate_sane_date not in field.validators:
                field.validators.append(validate_sane_date)


class TimeZoneForm(forms.Form):
    """The zone a staff user reads times in (saved by workflows.zones.staff_time_zone_set)."""

    time_zone = forms.ChoiceField(
        label="Show times in",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
        help_text="Dates and times on every page and in your emails use this zone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


class IdField(forms.IntegerField):
    """One id: a positive integer that fits the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdsField(forms.Field):
    """Any number of ids (a repeated parameter), in order, without repeats, at most `limit`."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Unknown value."}

    def __init__(self, *, limit: int | None = None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.limit = limit

    def to_python(self, value) -> tuple[int, ...]:
        if not value:
            return ()
        values = value if isinstance(value, list | tuple) else [value]
        one_id = IdField()  # each value parsed as one id is: "²", "-1" or 2**40 is an error here
        try:
            ids = tuple(dict.fromkeys(one_id.clean(v) for v in values if str(v).strip()))
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return ids[: self.limit] if self.limit else ids


class DomainErrorsMixin:
    """Puts a service's domain error on the form field it names (or on the form as a whole)."""

    # Service field name → form field name, where they differ.
    service_fields: dict[str, str] = {}

    def add_domain_error(self, error: DomainError, message=None) -> None:
        field = self.service_fields.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, message or error.message)


class CutToFitMixin:
    """For GET filter forms: a text longer than its field's `max_length` is cut to fit and used,
    and the form says so in `cut_notices`, instead of being dropped (which silently showed
    everything). `cut_to_fit` maps each such field to how the notice names it."""

    cut_to_fit: dict[str, str] = {}

    def __init__(self, data=None, *args, **kwargs):
        self.cut_notices: list[str] = []
        if data:
            data = data.copy()  # a QueryDict's copy is mutable
            for name, what in self.cut_to_fit.items():
                limit = self.base_fields[name].max_length
                text = data.get(name)
                if isinstance(text, str) and len(text) > limit:
                    data[name] = text[:limit]
                    self.cut_notices.append(_cut_notice(what, limit, text[:limit]))
        super().__init__(data, *args, **kwargs)


def _cut_notice(what: str, limit: int, kept: str) -> str:
    shown = kept.strip()
    shown = f"{shown[:60].rstrip()}…" if len(shown) > 60 else shown
    return f"{what} was longer than {limit:,} characters; it was cut to the first {limit:,}: “{shown}”."
