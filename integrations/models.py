"""API keys for machines: each belongs to a user, acts with that user's visibility, and carries
scopes that say what it may do. The key itself is shown once; only its hash is stored
(djangorestframework-api-key)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from rest_framework_api_key.models import AbstractAPIKey


class KeyScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Write"
    CRM_SYNC = "crm_sync", "CRM sync"


class ApiKey(AbstractAPIKey):
    """A named key of one user: `read` answers GET, `write` the other methods of the API,
    `crm_sync` the CRM's upserts (api/crm). A revoked or expired key is refused at once."""

    Scope = KeyScope

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    scopes = models.JSONField(default=list, help_text="Any of: read, write, crm_sync.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked=False) | Q(revoked_at__isnull=False), name="apikey_revoked_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked, ready to import"
    INVALID = "invalid", "Has errors"
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """One uploaded spreadsheet of accounts and contacts: the file itself (kept for the import
    that follows a clean dry run), what the dry run found, and how the import went.

    Only its uploader sees it. Its status moves (checking →) checked → queued → running → done
    (or failed); a file with errors stays invalid. A large file is checked in the background
    too. Progress while running lives in the cache, not here: the import's own transaction is
    open until the end (integrations/spreadsheets/jobs.py)."""

    Status = ImportStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="importjob_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def is_checking(self) -> bool:
        return self.status == ImportStatus.CHECKING

    @property
    def is_done(self) -> bool:
        return self.status == ImportStatus.DONE

    @property
    def can_start(self) -> bool:
        return self.status == ImportStatus.CHECKED
