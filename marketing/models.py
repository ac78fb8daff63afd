"""The content library: assets, what each customer account permits, and every use of an asset.

An asset moves draft → customer approval → legal review → published → expired or withdrawn, only
through its workflow (`workflows/content_approval.py`), which writes an `AssetEvent` per move.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.dates import validate_sane_date
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, note_field
from marketing.querysets import AccountPermissionQuerySet, AssetQuerySet
from marketing.statuses import (
    NEEDED_PERMISSION,
    AssetAction,
    AssetKind,
    AssetStatus,
    PermissionKind,
    PermissionState,
    UsageRights,
)
from references.models import Account, Contact, Industry, Opportunity, Product, UseCase


class Asset(models.Model):
    """One piece of customer content: a case study, a quote, a video, a slide…"""

    Kind = AssetKind
    Status = AssetStatus
    Rights = UsageRights

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AssetKind.choices)
    summary = note_field(NOTE_MAX_LENGTH, blank=True)
    quote_text = note_field(NOTE_MAX_LENGTH, blank=True, help_text="The customer's words, for a quote.")
    # A video or page elsewhere, or an uploaded file (through Django's storage API), or both.
    link_url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="assets/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True, help_text="The name it was uploaded with.")
    file_content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    usage_rights = models.CharField(max_length=10, choices=UsageRights.choices, default=UsageRights.INTERNAL)
    status = models.CharField(
        max_length=20, choices=AssetStatus.choices, default=AssetStatus.DRAFT, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_assets",
        help_text="Told before the asset expires.",
    )
    accounts = models.ManyToManyField(Account, blank=True, related_name="assets")
    contacts = models.ManyToManyField(Contact, blank=True, related_name="assets")
    products = models.ManyToManyField(Product, blank=True, related_name="+")
    industries = models.ManyToManyField(Industry, blank=True, related_name="+")
    use_cases = models.ManyToManyField(UseCase, blank=True, related_name="+")
    # The day the content must be reviewed again; past it the asset is unpublished.
    review_by = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssetKind.values), name="asset_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=AssetStatus.values), name="asset_status_valid"),
            models.CheckConstraint(
                condition=Q(usage_rights__in=UsageRights.values), name="asset_rights_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        """Only a draft is edited; a later status is sent back to draft first."""
        return self.status == AssetStatus.DRAFT

    @property
    def needed_permission(self) -> str:
        """The account permission this kind needs in force to be published (NEEDED_PERMISSION)."""
        return NEEDED_PERMISSION[self.kind]

    def get_needed_permission_display(self) -> str:
        return PermissionKind(self.needed_permission).label


class AssetEvent(models.Model):
    """One move of an asset through its workflow (or an edit worth keeping), append-only."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=AssetAction.choices)
    from_status = models.CharField(max_length=20, choices=AssetStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AssetStatus.choices, blank=True)
    note = note_field(REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.asset}: {self.action}"


class AccountPermission(models.Model):
    """What one customer account granted or denied marketing, with its source and expiry.

    No row for a kind means unknown. A grant past its expiry counts as unknown.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="permissions")
    kind = models.CharField(max_length=20, choices=PermissionKind.choices)
    state = models.CharField(max_length=10, choices=PermissionState.choices, default=PermissionState.UNKNOWN)
    # The signed agreement, through the storage API, or a note saying where the permission came from.
    source_file = models.FileField(upload_to="permissions/%Y/%m/", blank=True, max_length=300)
    source_note = note_field(REASON_MAX_LENGTH, blank=True)
    expires_on = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountPermissionQuerySet.as_manager()

    class Meta:
        ordering = ["account__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="permission_one_per_account_kind"),
            models.CheckConstraint(condition=Q(kind__in=PermissionKind.values), name="permission_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=PermissionState.values), name="permission_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.get_kind_display()} {self.get_state_display().lower()}"

    def in_force_on(self, day: date) -> bool:
        """Row-wise `AccountPermissionQuerySet.in_force`: granted and not past its expiry."""
        return self.state == PermissionState.GRANTED and (self.expires_on is None or self.expires_on >= day)


class PermissionChange(models.Model):
    """One change of an account's permission (append-only): what it was, what it became, by whom."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="permission_changes")
    kind = models.CharField(max_length=20, choices=PermissionKind.choices)
    from_state = models.CharField(max_length=10, choices=PermissionState.choices)
    to_state = models.CharField(max_length=10, choices=PermissionState.choices)
    expires_on = models.DateField(null=True, blank=True)
    note = note_field(REASON_MAX_LENGTH, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "created_at"])]

    def __str__(self) -> str:
        return f"{self.account}: {self.get_kind_display()} {self.from_state} → {self.to_state}"


class AssetUse(models.Model):
    """A staff member used an asset for a deal or a campaign (downloaded it, shared its link)."""

    class How(models.TextChoices):
        DOWNLOAD = "download", "Downloaded"
        LINK = "link", "Shared a link"
        OTHER = "other", "Other"

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="uses")
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="asset_uses")
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, null=True, blank=True, related_name="asset_uses"
    )
    campaign = models.CharField(max_length=200, blank=True)
    how = models.CharField(max_length=10, choices=How.choices, default=How.OTHER)
    note = note_field(REASON_MAX_LENGTH, blank=True)
    used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-used_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opportunity__isnull=False) | ~Q(campaign=""),
                name="asset_use_names_deal_or_campaign",
            ),
        ]
        indexes = [models.Index(fields=["asset", "used_at"])]

    def __str__(self) -> str:
        return f"{self.asset} used by {self.used_by}"
