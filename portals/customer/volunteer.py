"""The public "become a reference" page: a customer volunteers (anonymous, in English or German).

Bots are turned away quietly: a honeypot field people never see, and a signed start time (a form
sent back faster than a person can fill it). They get the answer everyone gets, and nothing is
stored. Two rate limits (per client address and per typed email, `core.throttle`) are counted
before anything is stored; past either, 429. Otherwise the same thank-you page whether the offer
was kept or not (`workflows.volunteers`)."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.text import NOTE_MAX_LENGTH
from core.throttle import client_ip
from portals.customer.access import public_portal_page
from requests_app.models import Nomination
from workflows.volunteers import Offer, consent_wording, nomination_volunteer, volunteer_allowed

SALT = "rms.volunteer.started"
STARTED_MAX_AGE = 24 * 3600  # a form left open longer than a day is filled again


def started_token(at: float | None = None) -> str:
    """The form's signed start time (tests sign an earlier one)."""
    return signing.dumps(int(time.time() if at is None else at), salt=SALT)


class VolunteerForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your work email"),
        # The column's length (254), not the form field's default (320): a longer address would
        # pass the form and fail on the database.
        max_length=Nomination._meta.get_field("contact_email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    company = forms.CharField(
        label=_("Your company"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    title = forms.CharField(
        label=_("Your job title"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    offer = forms.CharField(
        label=_("What would you be glad to do?"),
        help_text=_(
            "For example: a call with a company like yours, a quote, a case study, speaking at an event."
        ),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(label="", required=True)
    # People never see this field (hidden by the style sheet); bots fill it in.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))
    started = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_wording()
        self.fields["consent"].error_messages["required"] = _("Tick the box to agree, so we may contact you.")
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def is_bot(self) -> bool:
        """A filled honeypot, or a start time missing, forged, stale or too recent."""
        if self.cleaned_data.get("website"):
            return True
        try:
            started = signing.loads(
                self.cleaned_data.get("started") or "", salt=SALT, max_age=STARTED_MAX_AGE
            )
        except signing.BadSignature:
            return True
        return not isinstance(started, int) or time.time() - started < settings.VOLUNTEER_MIN_FILL_SECONDS

    def offer_made(self) -> Offer:
        data = self.cleaned_data
        return Offer(data["name"], data["email"], data["company"], data["title"], data["offer"])


def _context(**extra) -> dict:
    return {"company": settings.COMPANY_NAME, **extra}


@require_http_methods(["GET", "HEAD", "POST"])
@public_portal_page
def volunteer(request) -> HttpResponse:
    if request.method != "POST":
        form = VolunteerForm(initial={"started": started_token()})
        return render(request, "portals/customer/volunteer.html", _context(form=form))
    form = VolunteerForm(request.POST)
    if not form.is_valid():
        form.data = form.data.copy()
        form.data["started"] = form.data.get("started") or started_token()
        return render(request, "portals/customer/volunteer.html", _context(form=form), status=400)
    if not form.is_bot():
        if not volunteer_allowed(email=form.cleaned_data["email"], client=client_ip(request)):
            response = render(request, "portals/customer/volunteer_refused.html", _context(), status=429)
            response["Retry-After"] = "3600"  # the limits count per hour
            return response
        nomination_volunteer(offer=form.offer_made())
    return render(request, "portals/customer/volunteer_thanks.html", _context())
