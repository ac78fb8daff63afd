"""The forms of My preferences and Feedback: they parse what the contact typed, in their language;
the services (customers.preferences, customers.feedback) check it again and write it."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.dates import zone_choices
from core.forms import DateField, DomainErrorsMixin
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from customers.feedback import RATINGS
from references.models import ActivityType, PreferredChannel
from references.models.contacts import OWN_CAP_MAX
from references.services.preferences import PAUSE_DAYS_MAX, PAUSE_DAYS_MIN
from references.words import activity_name

CHANNELS = {
    PreferredChannel.EMAIL: _("Email"),
    PreferredChannel.PHONE: _("Phone"),
    PreferredChannel.VIDEO: _("Video call"),
    PreferredChannel.IN_PERSON: _("In person"),
}


def _filled(text, **values):
    """A translated text with its numbers filled in when shown (in the reader's language)."""
    return lazy(lambda: str(text) % values, str)()


LANGUAGES = [("en", _("English")), ("de", _("German"))]


class ActivityTypesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return activity_name(obj)  # in the contact's language


class PreferencesForm(DomainErrorsMixin, forms.Form):
    activity_types = ActivityTypesField(
        ActivityType.objects.order_by("sort_order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Activities I am willing to do"),
        help_text=_("We will not ask you for the ones you leave unticked."),
        error_messages={"invalid_choice": _("Choose activities from the list.")},
    )
    own_cap_per_quarter = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=OWN_CAP_MAX,
        label=_("At most this many activities per quarter"),
        help_text=_filled(
            _("From 0 to %(max)s. Leave it empty to let the program's own limits decide."), max=OWN_CAP_MAX
        ),
    )
    preferred_channel = forms.ChoiceField(choices=list(CHANNELS.items()), label=_("Preferred channel"))
    language = forms.ChoiceField(choices=LANGUAGES, label=_("Language"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"), error_messages={"invalid_choice": _("Choose a time zone from the list.")}
    )
    topics_to_avoid = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Topics I would rather not discuss"),
    )
    wants_in_return = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What I would like in return"),
        help_text=_("For example: influence on the product, meeting peers, speaking at events."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


class PauseForm(forms.Form):
    days = forms.IntegerField(
        min_value=PAUSE_DAYS_MIN,
        max_value=PAUSE_DAYS_MAX,
        label=_("Pause me for this many days"),
        help_text=_filled(_("From %(min)s to %(max)s days."), min=PAUSE_DAYS_MIN, max=PAUSE_DAYS_MAX),
    )


class BlackoutForm(DomainErrorsMixin, forms.Form):
    start = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(required=False, max_length=200, label=_("Reason (optional)"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        return cleaned


class FeedbackForm(DomainErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How did it go? (1 poor – 5 excellent)"),
    )
    comment = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Comment (optional)"),
    )
