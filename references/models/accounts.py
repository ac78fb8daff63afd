"""Customer accounts and the notes about them.

Rules that must always hold are database constraints, so bad rows are refused by the database
itself and not only by forms.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.currencies import validate_currency_code
from core.dates import validate_sane_date
from core.text import NOTE_MAX_LENGTH, note_field
from references.models.taxonomies import Competitor, Country, Industry, Product, Region, SizeBand, UseCase
from references.querysets import AccountQuerySet, ProgramRecordQuerySet
from references.statuses import ReferenceStatus, valid_status


class Account(models.Model):
    """A customer organization that may serve as a reference."""

    external_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="The account's id in the CRM."
    )
    name = models.CharField(max_length=200)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="accounts")
    size_band = models.ForeignKey(SizeBand, on_delete=models.PROTECT, related_name="accounts")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="accounts")
    products = models.ManyToManyField(Product, blank=True, related_name="accounts")
    use_cases = models.ManyToManyField(UseCase, blank=True, related_name="accounts")
    competitors_displaced = models.ManyToManyField(Competitor, blank=True, related_name="accounts")
    customer_since = models.DateField(validators=[validate_sane_date], null=True, blank=True)
    annual_contract_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    # Health: who may be used as a reference depends on it.
    nps = models.SmallIntegerField(null=True, blank=True, help_text="Latest NPS answer, 0–10.")
    open_escalations = models.PositiveSmallIntegerField(default=0)
    renewal_date = models.DateField(validators=[validate_sane_date], null=True, blank=True)
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
    reference_story = note_field(
        NOTE_MAX_LENGTH,
        blank=True,
        help_text="The customer's story, meant for sales: why they chose us, results.",
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
            models.CheckConstraint(condition=valid_status(), name="account_status_valid"),
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
    def is_retired(self) -> bool:
        return self.status == ReferenceStatus.RETIRED

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
    body = note_field(NOTE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values),
                name="accountnote_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.account}"
