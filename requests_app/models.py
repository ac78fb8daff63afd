"""Reference requests: a requester asks for a reference for a deal or a campaign.

The request's status is only ever changed by the workflow service (workflows.services); every
change leaves an immutable RequestEvent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.dates import validate_sane_date
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, note_field
from references.models import Account, ActivityType, Contact, Opportunity, Persona
from requests_app.codes import code_text
from requests_app.querysets import NominationQuerySet, ReferenceRequestQuerySet
from requests_app.statuses import (
    APPROVED_STATUSES,
    CONSENT_CLEARED,
    NOMINATION_PENDING,
    OPEN_STATUSES,
    NominationSource,
    NominationStatus,
    OwnerConsent,
    RequestStatus,
)


class ReferenceRequest(models.Model):
    """A request for a reference of one activity type, for an opportunity or a campaign."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reference_requests"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name="deal",
    )
    campaign = models.CharField(
        max_length=200, blank=True, help_text="For requests not tied to a deal (press, analyst, event)."
    )
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    needed_by = models.DateField(validators=[validate_sane_date])
    prospect_contact_role = models.ForeignKey(
        Persona,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who at the prospect will talk to the reference.",
    )
    notes = note_field(NOTE_MAX_LENGTH, blank=True, help_text="For the reference manager.")
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, editable=False
    )
    # Where a request paused for "needs info" returns to.
    resume_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True, editable=False)
    assigned_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_requests",
    )
    chosen_contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chosen_for_requests",
        editable=False,
        help_text="The contact approved for this request.",
    )
    scheduled_for = models.DateTimeField(validators=[validate_sane_date], null=True, blank=True)
    # The code the asked customer can check in the portal (set when the customer is asked:
    # workflows.asks.issue_verification_code); unique while set.
    verification_code = models.CharField(max_length=8, null=True, blank=True, unique=True, editable=False)
    # What a manager chose to tell the customer about the prospect (the portal shows it).
    # (A database default too: the demo's bulk loader writes requests without it.)
    customer_brief = note_field(
        REASON_MAX_LENGTH,
        blank=True,
        default="",
        db_default="",
        help_text="Shown to the customer contact in their portal.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ReferenceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["needed_by", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="request_status_valid"),
            models.CheckConstraint(
                condition=Q(resume_status="") | Q(resume_status__in=RequestStatus.values),
                name="request_resume_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(opportunity__isnull=False) | ~Q(campaign=""),
                name="request_has_opportunity_or_campaign",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "needed_by"]),
            models.Index(fields=["requester", "status"]),
        ]

    def __str__(self) -> str:
        return f"Request #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def waits_for_owner(self) -> bool:
        """Waiting for the account owner's approval (or a manager's on their behalf)."""
        return self.status == RequestStatus.AWAITING_OWNER

    @property
    def waits_for_customer(self) -> bool:
        """The chosen contact has been asked and has not been scheduled yet (they may offer times)."""
        return self.status == RequestStatus.CUSTOMER_ASKED

    @property
    def waits_for_information(self) -> bool:
        """Paused until the requester answers the program's question (`resume_status` says where to)."""
        return self.status == RequestStatus.NEEDS_INFO

    @property
    def verification_code_text(self) -> str:
        """The code as people read it, "ABCD-EFGH" ("" when the customer was not asked)."""
        return code_text(self.verification_code)

    @property
    def contact_details_released(self) -> bool:
        """Whether the requester may now see the chosen contact's email and phone."""
        return self.status in APPROVED_STATUSES and self.chosen_contact_id is not None


class RequestCandidate(models.Model):
    """A contact proposed for a request, in the requester's order of preference (1 = first)."""

    request = models.ForeignKey(ReferenceRequest, on_delete=models.CASCADE, related_name="candidates")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="candidacies")
    preference = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["request", "preference"]
        constraints = [
            models.UniqueConstraint(fields=["request", "contact"], name="candidate_unique_contact"),
            models.UniqueConstraint(fields=["request", "preference"], name="candidate_unique_preference"),
            models.CheckConstraint(
                condition=Q(preference__gte=1, preference__lte=3), name="candidate_preference_1_3"
            ),
        ]
        indexes = [models.Index(fields=["contact", "request"])]

    def __str__(self) -> str:
        return f"{self.contact} (#{self.preference}) for {self.request}"


class RequestEvent(models.Model):
    """An immutable timeline entry: who did what to a request, and when."""

    request = models.ForeignKey(ReferenceRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The customer contact who acted from their portal (accepted or declined an ask).
    actor_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    note = note_field(NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.request_id} by {self.actor_id}"


class OfferedSlot(models.Model):
    """A time the asked customer offered for the activity; the manager schedules one of them.

    A new acceptance replaces the earlier offers (workflows.asks.store_slots)."""

    request = models.ForeignKey(ReferenceRequest, on_delete=models.CASCADE, related_name="offered_slots")
    starts_at = models.DateTimeField(validators=[validate_sane_date])
    ends_at = models.DateTimeField(validators=[validate_sane_date])
    offered_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["request", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} for {self.request_id}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class RequestFeedback(models.Model):
    """The requester's feedback after the activity."""

    request = models.OneToOneField(ReferenceRequest, on_delete=models.CASCADE, related_name="feedback")
    took_place = models.BooleanField()
    helpfulness = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (not) to 5 (very).")
    would_use_again = models.BooleanField(null=True, blank=True)
    outcome_note = note_field(NOTE_MAX_LENGTH, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(helpfulness__isnull=True) | Q(helpfulness__gte=1, helpfulness__lte=5),
                name="feedback_helpfulness_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.request}"


class Nomination(models.Model):
    """A rep or CSM proposes a customer contact as a new reference, or a customer volunteers on
    the public page; the program qualifies it (the account owner's consent as a task) and accepts
    or declines it (`workflows/nominations.py`, the only writer of its status)."""

    Status = NominationStatus
    Source = NominationSource
    Consent = OwnerConsent
    PENDING = NOMINATION_PENDING

    # None only for a customer who volunteered on the public page.
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SALES)
    # None only while a volunteer's company is not matched to an account (a manager picks it).
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    # A contact not yet in the catalogue is described here; qualification creates the Contact.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_title = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    # The company a volunteer typed (their account may not be matched yet).
    company_name = models.CharField(max_length=200, blank=True)
    reason = note_field(NOTE_MAX_LENGTH, help_text="Why this customer would make a good reference.")
    activity_types = models.ManyToManyField(ActivityType, blank=True, related_name="+")
    # The wording a volunteer agreed to, as the page showed it, and when.
    consent_text = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, editable=False)
    owner_consent = models.CharField(
        max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED, blank=True, editable=False
    )
    owner_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_consent_at = models.DateTimeField(null=True, blank=True)
    owner_consent_note = note_field(REASON_MAX_LENGTH, blank=True)
    decision_note = note_field(REASON_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NominationStatus.values),
                name="nomination_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | ~Q(contact_name=""),
                name="nomination_names_a_contact",
            ),
            models.CheckConstraint(
                condition=Q(source__in=NominationSource.values), name="nomination_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner_consent__in=OwnerConsent.values), name="nomination_owner_consent_valid"
            ),
            # Only a volunteer comes without a nominator.
            models.CheckConstraint(
                condition=Q(nominated_by__isnull=False) | Q(source=NominationSource.PUBLIC),
                name="nomination_nominator_unless_public",
            ),
            # Only a volunteer waiting for the program may lack an account.
            models.CheckConstraint(
                condition=Q(account__isnull=False)
                | Q(
                    source=NominationSource.PUBLIC,
                    status__in=(NominationStatus.SUBMITTED, NominationStatus.REJECTED),
                ),
                name="nomination_account_unless_unmatched",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="nomination_status_created")]

    def __str__(self) -> str:
        return f"Nomination of {self.person_name} at {self.account or self.company_name}"

    @property
    def person_name(self) -> str:
        if self.contact_id is not None:
            return f"{self.contact.first_name} {self.contact.last_name}"
        return self.contact_name

    @property
    def is_pending(self) -> bool:
        return self.status in NOMINATION_PENDING

    @property
    def is_submitted(self) -> bool:
        return self.status == NominationStatus.SUBMITTED

    @property
    def is_qualifying(self) -> bool:
        return self.status == NominationStatus.QUALIFYING

    @property
    def is_accepted(self) -> bool:
        return self.status == NominationStatus.ACCEPTED

    @property
    def consent_asked(self) -> bool:
        """Waiting for the account owner's answer."""
        return self.owner_consent == OwnerConsent.ASKED

    @property
    def consent_cleared(self) -> bool:
        return self.owner_consent in CONSENT_CLEARED

    @property
    def is_public(self) -> bool:
        return self.source == NominationSource.PUBLIC
