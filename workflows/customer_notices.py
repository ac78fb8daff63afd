"""What a customer contact reads in the emails the workflow sends them: the ask, the ask's
reminder, the scheduled activity, the request for feedback.

Each is written in the contact's language (`Contact.language`, gettext strings; German in
locale/de) and with times in their zone, and links only to pages of the customer portal: the ask
(`customer:ask`, the request's id) and its feedback page (`customer:feedback`). Never a staff
page, never the prospect's name: the customer reads the requesting rep's name, our company, the
activity and the dates, and the verification code they can check in the portal.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import day_text, moment_text
from core.links import url_or
from notifications.message import Message
from references.models import Contact
from references.words import activity_noun
from requests_app.codes import code_text
from requests_app.models import ReferenceRequest
from workflows.zones import contact_zone


def company_name() -> str:
    """The vendor the customer is a reference for (settings.COMPANY_NAME)."""
    return getattr(settings, "COMPANY_NAME", "") or _("our company")


def ask_link(request: ReferenceRequest) -> str:
    return url_or("customer:ask", url_or("customer:home", "/"), request.pk)


def feedback_link(request: ReferenceRequest) -> str:
    return url_or("customer:feedback", url_or("customer:home", "/"), request.pk)


def _rep(request: ReferenceRequest) -> str:
    requester = request.requester
    return requester.get_full_name() or requester.get_username()


class _InTheirWords:
    """Language and zone of one contact, around the composing of their message."""

    def __init__(self, contact: Contact):
        self.language = translation.override(contact.language or settings.LANGUAGE_CODE)
        self.zone = timezone.override(contact_zone(contact))

    def __enter__(self):
        self.language.__enter__()
        self.zone.__enter__()

    def __exit__(self, *exc):
        self.zone.__exit__(*exc)
        self.language.__exit__(*exc)


def _facts(request: ReferenceRequest) -> dict[str, str]:
    return {
        "rep": _rep(request),
        "company": company_name(),
        "what": activity_noun(request.activity_type),
        "needed": day_text(request.needed_by),
        "code": code_text(request.verification_code),
    }


def ask_message(request: ReferenceRequest, contact: Contact) -> Message:
    """The ask: who asks, for what, by when, and the code to check."""
    with _InTheirWords(contact):
        words = _facts(request)
        title = _("Would you help us with a %(what)s?") % words
        body = (
            _(
                "%(rep)s of %(company)s and our reference program would like you to take part in a "
                "%(what)s with a prospective customer, by %(needed)s. Please accept (offering a few "
                "times that suit you) or decline in the customer portal."
            )
            % words
        )
        if not request.opportunity_id and request.campaign:
            body = _(
                "%(rep)s of %(company)s and our reference program would like you to take part in a "
                "%(what)s for %(campaign)s, by %(needed)s. Please accept (offering a few "
                "times that suit you) or decline in the customer portal."
            ) % (words | {"campaign": request.campaign})
        if words["code"]:
            body += (
                "\n\n"
                + _(
                    "The verification code of this request is %(code)s. You can check it in the portal: "
                    "nobody from %(company)s asks you for a reference without a code."
                )
                % words
            )
    return Message(title, body, ask_link(request))


def ask_reminder_message(request: ReferenceRequest, contact: Contact) -> Message:
    """The one reminder of an ask not answered yet."""
    with _InTheirWords(contact):
        words = _facts(request)
        title = _("Reminder: would you help us with a %(what)s?") % words
        body = (
            _(
                "%(rep)s of %(company)s asked you a few days ago to take part in a %(what)s, by "
                "%(needed)s. Please accept or decline in the customer portal; either answer helps."
            )
            % words
        )
        if words["code"]:
            body += "\n\n" + _("The verification code of this request is %(code)s.") % words
    return Message(title, body, ask_link(request))


def scheduled_message(request: ReferenceRequest, contact: Contact) -> Message:
    with _InTheirWords(contact):
        words = _facts(request) | {"when": moment_text(request.scheduled_for, with_zone=True)}
        title = _("Scheduled: %(what)s on %(when)s") % words
        body = _("Thank you for agreeing to a %(what)s with %(rep)s of %(company)s.") % words
    return Message(title, body, ask_link(request))


def feedback_message(request: ReferenceRequest, contact: Contact) -> Message:
    with _InTheirWords(contact):
        words = _facts(request)
        title = _("How did it go?")
        body = (
            _("Thank you for taking part in a %(what)s. Tell us how it went; it helps us ask well.") % words
        )
    return Message(title, body, feedback_link(request))
