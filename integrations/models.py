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
