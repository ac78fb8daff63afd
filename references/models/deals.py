"""Deals (mirrored from the CRM or added by reps), the currency rates that compare their sizes,
and the reference activities that served them.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from core.currencies import validate_currency_code
from core.dates import validate_sane_date
from core.text import NOTE_MAX_LENGTH, note_field
from references.models.accounts import Account
from references.models.contacts import Contact
from references.models.taxonomies import ActivityType, Country, Industry, Product, SizeBand
from references.querysets import OpportunityQuerySet, ProgramRecordQuerySet


class CurrencyRate(models.Model):
    """How many units of a currency make one US dollar, so that deals in different currencies
    compare by size (the inbox's deal-size order). Kept by an admin; US dollars need no row, and a
    deal in a currency without a rate sorts after those that can be compared."""

    currency = models.CharField(
        max_length=3,
        primary_key=True,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", "Use the three capital letters of the ISO code, like EUR.")
        ],
        help_text="ISO 4217 code, like EUR.",
    )
    per_usd = models.DecimalField(
        "units per US dollar", max_digits=16, decimal_places=6, help_text="For example 0.92 for EUR."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(condition=Q(per_usd__gt=0), name="currencyrate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency}: {self.per_usd} per USD"


class DealStage(models.TextChoices):
    PROSPECTING = "prospecting", "Prospecting"
    QUALIFICATION = "qualification", "Qualification"
    PROPOSAL = "proposal", "Proposal"
    NEGOTIATION = "negotiation", "Negotiation"
    CLOSED = "closed", "Closed"


class DealOutcome(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Opportunity(models.Model):
    """A prospect's deal, usually mirrored from the CRM."""

    Stage = DealStage
    Outcome = DealOutcome

    external_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="The deal's id in the CRM."
    )
    prospect_name = models.CharField(max_length=200)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="opportunities")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="opportunities")
    size_band = models.ForeignKey(
        SizeBand, on_delete=models.PROTECT, null=True, blank=True, related_name="opportunities"
    )
    products = models.ManyToManyField(Product, blank=True, related_name="opportunities")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PROSPECTING)
    close_date = models.DateField(validators=[validate_sane_date])
    # The sales cycle runs from here to the close date; a deal recorded without it starts on the
    # day RMS first saw it (insights read Coalesce(opened_on, created_at)).
    opened_on = models.DateField(
        validators=[validate_sane_date],
        null=True,
        blank=True,
        help_text="When the deal was opened in the CRM (the start of its sales cycle).",
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities"
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="team_opportunities")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["close_date", "prospect_name"]
        # "Deal" is the word the portals use (the model keeps the CRM's name).
        verbose_name = "deal"
        verbose_name_plural = "deals"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="opportunity_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(stage__in=DealStage.values),
                name="opportunity_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=DealOutcome.values), name="opportunity_outcome_valid"
            ),
        ]
        indexes = [models.Index(fields=["owner", "outcome"]), models.Index(fields=["close_date"])]

    def __str__(self) -> str:
        return self.prospect_name

    @property
    def is_open(self) -> bool:
        """Still being worked: neither won nor lost (references are requested for open deals)."""
        return self.outcome == DealOutcome.OPEN


class ReferenceActivity(models.Model):
    """What actually happened: a contact did a reference activity on a date for some deals."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="activities")
    # Denormalized from the contact so per-account limits are one indexed range scan.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="activities")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(validators=[validate_sane_date])
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    opportunities = models.ManyToManyField(
        Opportunity, blank=True, related_name="activities", verbose_name="deals"
    )
    notes = note_field(NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "reference activities"
        indexes = [
            # In the order the burnout limits group a contact's uses (contact, day, type), and
            # with the account: their periodic job reads the recent activities from the index alone.
            models.Index(
                fields=["contact", "occurred_on", "activity_type", "account"], name="activity_contact_day"
            ),
            models.Index(fields=["account", "occurred_on"]),
            # The insights read an activity by id for its day, type and contact (did it happen by
            # the deal's close date? of which type? by whom?): from this index alone, without the
            # table (bench/insights.py; with the deal-first index on the links, references 0015).
            models.Index(
                fields=["id", "occurred_on", "activity_type", "contact"], name="activity_id_day_type_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_type} with {self.contact} on {self.occurred_on}"
