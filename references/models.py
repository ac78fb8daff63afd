"""The reference catalogue: customer accounts, their contacts, taxonomies, deals and activities.

Rules that must always hold live here as database constraints, so bad rows are refused by the
database itself and not only by forms.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from references.querysets import AccountQuerySet, ContactQuerySet, OpportunityQuerySet
from references.statuses import ReferenceStatus


def _status_is_valid(field: str = "status") -> Q:
    return Q(**{f"{field}__in": ReferenceStatus.values})


# --- Taxonomies (admin-editable lookup tables) ----------------------------------------------


class Taxonomy(models.Model):
    """A named, orderable entry of an admin-editable list."""

    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Industry(Taxonomy):
    """An industry, seeded from the NAICS sectors."""

    naics_code = models.CharField(max_length=10, unique=True)

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "industries"


class Product(Taxonomy):
    """One of our products that a customer uses or a prospect is buying."""


class UseCase(Taxonomy):
    """What a customer does with the products."""


class Competitor(Taxonomy):
    """A competitor whose product a customer replaced."""


class Region(Taxonomy):
    """A sales region grouping countries (e.g. EMEA)."""

    code = models.CharField(max_length=20, unique=True)


class Country(Taxonomy):
    """A country (ISO 3166-1), in one sales region."""

    code = models.CharField(max_length=2, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "countries"


class SizeBand(Taxonomy):
    """A company-size band by employees; sort_order runs from small to large."""

    min_employees = models.PositiveIntegerField()
    max_employees = models.PositiveIntegerField(null=True, blank=True)

    class Meta(Taxonomy.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(max_employees__isnull=True) | Q(max_employees__gte=F("min_employees")),
                name="sizeband_max_gte_min",
            )
        ]


class Persona(Taxonomy):
    """The kind of person a contact is: executive, technical, end user."""

    code = models.SlugField(max_length=40, unique=True)


class ActivityType(Taxonomy):
    """A kind of reference activity: reference call, case study, press interview..."""

    code = models.SlugField(max_length=40, unique=True)
    counts_toward_limits = models.BooleanField(
        default=True, help_text="Whether this activity uses up one of the contact's burnout slots."
    )
    is_one_to_many = models.BooleanField(
        default=False, help_text="Serves many prospects at once (event, webinar, published content)."
    )


# --- Accounts and contacts ------------------------------------------------------------------


class Account(models.Model):
    """A customer organization that may serve as a reference."""

    name = models.CharField(max_length=200)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="accounts")
    size_band = models.ForeignKey(SizeBand, on_delete=models.PROTECT, related_name="accounts")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="accounts")
    products = models.ManyToManyField(Product, blank=True, related_name="accounts")
    use_cases = models.ManyToManyField(UseCase, blank=True, related_name="accounts")
    competitors_displaced = models.ManyToManyField(Competitor, blank=True, related_name="accounts")
    customer_since = models.DateField(null=True, blank=True)
    annual_contract_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="USD")
    # Health: who may be used as a reference depends on it.
    nps = models.SmallIntegerField(null=True, blank=True, help_text="Latest NPS answer, 0–10.")
    open_escalations = models.PositiveSmallIntegerField(default=0)
    renewal_date = models.DateField(null=True, blank=True)
    at_risk = models.BooleanField(default=False, help_text="Renewal or relationship at risk.")
    status = models.CharField(
        max_length=20, choices=ReferenceStatus.choices, default=ReferenceStatus.CANDIDATE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_accounts",
        help_text="Approves use of this account as a reference.",
    )
    stewards = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="stewarded_accounts")
    reference_story = models.TextField(
        blank=True, help_text="The customer's story, meant for sales: why they chose us, results."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__gte=0, nps__lte=10), name="account_nps_0_10"
            ),
            models.CheckConstraint(
                condition=Q(annual_contract_value__gte=0), name="account_acv_non_negative"
            ),
            models.CheckConstraint(condition=_status_is_valid(), name="account_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "industry"]),
            models.Index(fields=["country"]),
            models.Index(fields=["size_band"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Region:
        return self.country.region


# Choices whose values a check constraint lists are defined outside their model: a model's Meta
# cannot see the classes nested in the model. The models name them too (`AccountNote.Kind`).


class NoteKind(models.TextChoices):
    WHY_BOUGHT = "why_bought", "Why they bought"
    WHY_LEFT = "why_left", "Why they left"
    INTERVIEW = "interview", "Interview"
    GENERAL = "general", "General"


class AccountNote(models.Model):
    """Intelligence about an account: why they bought, why they left, interview notes."""

    Kind = NoteKind

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values),
                name="accountnote_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.account}"


class Contact(models.Model):
    """A person at a customer account who may act as a reference."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
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
            models.CheckConstraint(condition=_status_is_valid(), name="contact_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "account"]),
            models.Index(fields=["persona"]),
            models.Index(fields=["language"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


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
        null=True, blank=True, help_text="The contact's own maximum of activities per quarter."
    )
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    wants_in_return = models.TextField(
        blank=True, help_text="What the contact values: product influence, peer networking, speaking…"
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    opted_out = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    paused_by_contact = models.BooleanField(
        default=False, help_text="The contact asked not to be approached for now."
    )
    updated_at = models.DateTimeField(auto_now=True)

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
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

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
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(account__isnull=False) & Q(contact__isnull=True))
                | (Q(account__isnull=True) & Q(contact__isnull=False)),
                name="statuschange_one_subject",
            ),
            models.CheckConstraint(
                condition=_status_is_valid("from_status") & _status_is_valid("to_status"),
                name="statuschange_statuses_valid",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="statuschange_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.account or self.contact}: {self.from_status} → {self.to_status}"


# --- Deals and activities -------------------------------------------------------------------


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
    currency = models.CharField(max_length=3, default="USD")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PROSPECTING)
    close_date = models.DateField()
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
        verbose_name_plural = "opportunities"
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


class ReferenceActivity(models.Model):
    """What actually happened: a contact did a reference activity on a date for some deals."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="activities")
    # Denormalized from the contact so per-account limits are one indexed range scan.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="activities")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    opportunities = models.ManyToManyField(Opportunity, blank=True, related_name="activities")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.activity_type} with {self.contact} on {self.occurred_on}"
