from django.conf import settings
from django.db import models


class SsoIdentity(models.Model):
    """A user as the single sign-on provider knows them: its issuer and the stable subject it gives.

    Found by (issuer, subject) at every SSO sign-in, so a changed email or username at the
    provider still reaches the same RMS user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique_subject")
        ]
        verbose_name = "SSO identity"
        verbose_name_plural = "SSO identities"

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
