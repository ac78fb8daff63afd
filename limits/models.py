"""Burnout limits: the program's defaults, stricter rules, per-contact usage and overrides.

The rules are in limits/rules.py; limits/services.py applies them to one contact (exact, used
when approving) and limits/usage/ to every contact at once (set-based, the periodic job).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from core.text import REASON_MAX_LENGTH, note_field
from references.models import Account, ActivityType, Contact
from requests_app.models import ReferenceRequest


class LimitPolicy(models.Model):
    """The program's default limits: one row (id 1), edited in the admin.

    A limit counts activities in a rolling window of `window_days` days ending on the day asked
    about; an activity that used a slot `window_days` days ago no longer counts.
    """

    contact_max = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1)],
        help_text="At most this many activities per contact in the rolling window.",
    )
    account_max = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1)],
        help_text="At most this many activities per account (all its contacts) in the rolling window.",
    )
    window_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(7), MaxValueValidator(366)]
    )
    rest_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MaxValueValidator(180)],
        help_text="Days after an activity before the contact may do the next one.",
    )
    renewal_exclusion_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(365)],
        help_text="No reference asks this many days before an account's renewal date (0: no exclusion).",
    )
    exclude_open_escalations = models.BooleanField(
        default=True, help_text="Accounts with an open escalation are not asked."
    )
    exclude_at_risk = models.BooleanField(default=True, help_text="Accounts at risk are not asked.")
    near_limit_slots = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(10)],
        help_text="A contact with this many free slots or fewer is reported as near a limit.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "program limit"
        verbose_name_plural = "program limits"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="limitpolicy_single_row"),
            models.CheckConstraint(
                condition=Q(contact_max__gte=1, account_max__gte=1, window_days__gte=7, window_days__lte=366),
                name="limitpolicy_sane_values",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.contact_max} per contact, {self.account_max} per account in {self.window_days} days, "
            f"{self.rest_days} days of rest"
        )

    @classmethod
    def current(cls) -> "LimitPolicy":
        """The policy row (a data migration creates it); the defaults if it was deleted."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class LimitRule(models.Model):
    """A stricter limit for one contact, one account, or one activity type (or a type at one
    account or for one contact).

    Every applicable rule is checked besides the program's limits, so a rule can only make
    things stricter: the lowest count and the longest rest win. A rule without an activity type
    counts every activity that uses a slot; a rule with one counts only that type. All rules use
    the program's rolling window.
    """

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, null=True, blank=True, related_name="limit_rules"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="limit_rules"
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.CASCADE, null=True, blank=True, related_name="limit_rules"
    )
    contact_max = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="At most this many activities per contact in the window.",
    )
    account_max = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="At most this many activities per account in the window (not for a contact rule).",
    )
    rest_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(365)], help_text="Days of rest after each."
    )
    reason = models.CharField(max_length=200, blank=True, help_text="Why this limit exists.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=True) | Q(contact__isnull=True),
                name="limitrule_account_or_contact",
            ),
            models.CheckConstraint(
                condition=~Q(account__isnull=True, contact__isnull=True, activity_type__isnull=True),
                name="limitrule_has_scope",
            ),
            models.CheckConstraint(
                condition=~Q(contact_max__isnull=True, account_max__isnull=True, rest_days__isnull=True),
                name="limitrule_limits_something",
            ),
            models.CheckConstraint(
                condition=Q(account_max__isnull=True) | Q(contact__isnull=True),
                name="limitrule_account_max_not_for_contact",
            ),
            models.CheckConstraint(
                condition=(Q(contact_max__isnull=True) | Q(contact_max__gte=1))
                & (Q(account_max__isnull=True) | Q(account_max__gte=1)),
                name="limitrule_max_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        subject = self.contact or self.account or "every contact"
        kind = f" ({self.activity_type})" if self.activity_type_id else ""
        return f"Limit for {subject}{kind}"


class UsageState(models.TextChoices):
    AVAILABLE = "available", "Available"
    NEAR = "near", "Near a limit"
    LIMITED = "limited", "At a limit"


class ContactUsage(models.Model):
    """How much of their limits a contact has used: one narrow row per contact with recent use,
    or held back without it (by their account's uses, or an own cap of 0).

    Written only by the periodic job (limits.usage.usage_recompute), set-based; read by search
    and lists. Contacts without a row have used nothing and have every slot their caps give. The
    exact, current answer for one contact is limits.services.limit_check.
    """

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, primary_key=True, related_name="usage")
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The account whose limit the uses count toward.",
    )
    used = models.PositiveSmallIntegerField(default=0, help_text="Slots used in the program window.")
    quarter_used = models.PositiveSmallIntegerField(default=0, help_text="Slots used this calendar quarter.")
    slots_left = models.SmallIntegerField(default=0, help_text="Free slots under the tightest count limit.")
    last_used_on = models.DateField(null=True, blank=True)
    available_from = models.DateField(
        null=True, blank=True, help_text="First day a slot is free and the rest is over; empty: now."
    )
    state = models.CharField(max_length=10, choices=UsageState.choices, default=UsageState.AVAILABLE)
    limit_code = models.CharField(max_length=20, blank=True, help_text="The limit reached (code), if any.")
    rested_by_job = models.BooleanField(
        default=False, help_text="The job moved this contact to resting; it moves them back when freed."
    )
    # What the verdict above was computed from: the job recomputes a contact only when one differs.
    uses_checksum = models.BigIntegerField(
        default=0,
        help_text=(
            "Sum of the held uses' fingerprints (day and type) since the window or the quarter began: "
            "tells one set of uses from another."
        ),
    )
    own_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The contact's own cap per quarter, as last judged."
    )
    window_moves_on = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "The day the earliest use in the window leaves it, or a use from before the quarter stops "
            "counting: judged again then."
        ),
    )
    rules_key = models.BigIntegerField(
        default=0, help_text="Fingerprint of the program policy and the limit rules, as last judged."
    )

    class Meta:
        verbose_name_plural = "contact usage"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=UsageState.values), name="contactusage_state_valid"),
        ]
        indexes = [models.Index(fields=["state"], name="contactusage_state")]

    def __str__(self) -> str:
        return f"Usage of contact {self.contact_id}: {self.used} used, {self.get_state_display()}"


class UsageChange(models.Model):
    """A contact whose uses, own cap or approved requests changed since the limits job last ran.

    Written by database triggers on activities, participation preferences and reference requests
    (limits/change_triggers.py), in the transaction of the change itself, whatever wrote it (a
    form, the API, admin, a bulk load or raw SQL); the job's next run takes the rows and judges
    those contacts again. A plain number, not a foreign key: the trigger only appends, and the
    job takes whatever is there.
    """

    contact_id = models.BigIntegerField()
    noted_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"Uses of contact {self.contact_id} changed"


class LimitOverride(models.Model):
    """A manager used a contact beyond a limit, with a written reason (kept for the record)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="limit_overrides")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        ReferenceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="limit_overrides"
    )
    limit = models.CharField(max_length=20, help_text="The limit overridden (code).")
    refusal = models.TextField(help_text="What the limit check said.")
    reason = note_field(REASON_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="limitoverride_reason_required"),
        ]

    def __str__(self) -> str:
        return f"Override of {self.limit} for contact {self.contact_id}"


class LimitRun(models.Model):
    """A run of the periodic job that changed something: the notices it sent refer to it."""

    ran_at = models.DateTimeField(auto_now_add=True)
    reached = models.PositiveIntegerField(default=0)
    freed = models.PositiveIntegerField(default=0)
    near = models.PositiveIntegerField(default=0)
    rested = models.PositiveIntegerField(default=0, help_text="Contacts moved to resting.")
    reactivated = models.PositiveIntegerField(default=0, help_text="Contacts moved back to active.")

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"Limit run {self.pk} at {self.ran_at:%Y-%m-%d %H:%M}"
