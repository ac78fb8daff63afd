"""The people at customer accounts who may act as references: their participation preferences,
blackout dates, and the history of their (and their accounts') reference status.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from core.dates import validate_sane_date
from core.text import REASON_MAX_LENGTH, note_field
from references.models.accounts import Account
from references.models.taxonomies import ActivityType, Persona
from references.querysets import ContactQuerySet, ProgramRecordQuerySet
from references.statuses import ReferenceStatus, valid_status


class Contact(models.Model):
    """A person at a customer account who may act as a reference."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    external_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="The contact's id in the CRM."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="contacts")
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=10, default="en", help_text="ISO 639-1 code.")
    time_zone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(
        max_length=20, choices=ReferenceStatus.choices, default=ReferenceStatus.CANDIDATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "account", models.functions.Lower("email"), name="contact_email_unique_per_account"
            ),
            models.CheckConstraint(condition=valid_status(), name="contact_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "account"]),
            # Every contact in id order with what the insights' utilization reads of them (status,
            # account), from the index alone: joined in order to the range's counts (bench/insights.py).
            models.Index(fields=["id", "status", "account"], name="contact_id_status_account"),
            models.Index(fields=["persona"]),
            models.Index(fields=["language"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_retired(self) -> bool:
        return self.status == ReferenceStatus.RETIRED


# The highest cap per quarter a contact may set: more than one activity a week is no protection.
OWN_CAP_MAX = 20


class PreferredChannel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"


class ParticipationPreferences(models.Model):
    """What a contact is willing to do, how often, and what they want in return."""

    Channel = PreferredChannel

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="preferences")
    activity_types = models.ManyToManyField(ActivityType, blank=True, related_name="willing_contacts")
    own_cap_per_quarter = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(OWN_CAP_MAX)],
        help_text=f"The contact's own maximum of activities per quarter (0–{OWN_CAP_MAX}).",
    )
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    wants_in_return = note_field(
        REASON_MAX_LENGTH,
        blank=True,
        help_text="What the contact values: product influence, peer networking, speaking…",
    )
    consent_given_at = models.DateTimeField(validators=[validate_sane_date], null=True, blank=True)
    opted_out = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(validators=[validate_sane_date], null=True, blank=True)
    paused_by_contact = models.BooleanField(
        default=False, help_text="The contact asked not to be approached for now."
    )
    # Set with a pause the contact asked for N days ("pause me"); a daily job ends the pause the day
    # after (references.services.preferences.pauses_end). A pause without one lasts until undone.
    # No check constraint ties it to paused_by_contact: on SQLite adding one rebuilds the table
    # and drops its triggers (the limits', core/text.py, and Willingness'); the preferences
    # service keeps the rule.
    paused_until = models.DateField(
        validators=[validate_sane_date],
        null=True,
        blank=True,
        help_text="The last day of the contact's pause; it ends by itself after that day.",
    )
    # Nullable only so adding it is a plain ALTER TABLE on SQLite (no table rebuild, see above);
    # the services write "" for none.
    topics_to_avoid = note_field(
        REASON_MAX_LENGTH,
        null=True,
        blank=True,
        help_text="Topics the contact would rather not discuss with prospects.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramRecordQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "participation preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_channel__in=PreferredChannel.values),
                name="preferences_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(opted_out=False) | Q(opted_out_at__isnull=False),
                name="preferences_opt_out_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["opted_out", "paused_by_contact"]),
            # The limits job compares every counted contact's own cap with the one it last used:
            # an index-only read of the contacts who set one.
            models.Index(
                fields=["contact", "own_cap_per_quarter"],
                condition=Q(own_cap_per_quarter__isnull=False),
                name="preferences_own_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.contact}"


class BlackoutPeriod(models.Model):
    """Dates on which a contact must not be approached (holidays, quarter close…)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="blackouts")
    start = models.DateField(validators=[validate_sane_date])
    end = models.DateField(validators=[validate_sane_date])
    reason = models.CharField(max_length=200, blank=True)

    objects = ProgramRecordQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="blackout_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.contact}: {self.start} – {self.end}"


class StatusChange(models.Model):
    """An immutable record of a reference status change of an account or a contact."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, null=True, blank=True, related_name="status_changes"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=ReferenceStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReferenceStatus.choices)
    reason = note_field(REASON_MAX_LENGTH)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(account__isnull=False) & Q(contact__isnull=True))
                | (Q(account__isnull=True) & Q(contact__isnull=False)),
                name="statuschange_one_subject",
            ),
            models.CheckConstraint(
                condition=valid_status("from_status") & valid_status("to_status"),
                name="statuschange_statuses_valid",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="statuschange_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.account or self.contact}: {self.from_status} → {self.to_status}"


class Willingness(models.Model):
    """A contact willing to do an activity type: a copy of one row of their preferences'
    activity_types (same id) with the contact on it, so "the contacts willing to do X" is one
    index-only scan in contact order rather than contacts → preferences → their types (the
    insights filter by activity type reads it at 300,000 contacts). Written only by database
    triggers on those two tables (references/willingness.py): every write path — forms, admin,
    the portal, bulk loads, raw SQL — keeps it exact in the same transaction. On SQLite a
    migration that rebuilds either table (a check constraint, a changed column) drops the
    triggers with it: such a migration must create them again (`willingness.triggers_operation`)."""

    id = models.BigIntegerField(primary_key=True)  # the preferences–activity type row's
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    # Indexed by the (type, contact) index below, which every reader uses.
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name_plural = "willingness"
        indexes = [models.Index(fields=["activity_type", "contact"], name="willingness_type_contact")]

    def __str__(self) -> str:
        return f"Contact {self.contact_id} will do type {self.activity_type_id}"
