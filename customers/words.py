"""The staff's labels a customer reads on their data page, marked for the translators.

Request statuses and the consent ledger's "what" and "how" are TextChoices labels that the staff
pages show in English; the portal writes them with `{% translate %}` in the contact's language,
so each is marked here once (a test keeps this list whole).
"""

from django.utils.translation import gettext_noop

REQUEST_STATUS_WORDS = (
    gettext_noop("Submitted"),
    gettext_noop("In review"),
    gettext_noop("Needs info"),
    gettext_noop("Awaiting account owner"),
    gettext_noop("Customer asked"),
    gettext_noop("Scheduled"),
    gettext_noop("Completed"),
    gettext_noop("Closed"),
    gettext_noop("Declined"),
    gettext_noop("Cancelled"),
    gettext_noop("Expired"),
)

CONSENT_WORDS = (
    gettext_noop("Taking part in the reference program"),
    gettext_noop("Doing an activity type"),
    gettext_noop("By the contact, in the customer portal"),
    gettext_noop("Recorded by a reference manager"),
    gettext_noop("Recorded by an administrator"),
    gettext_noop("Imported or set by RMS"),
)
