"""The consent ledger: every consent a contact gave or withdrew, append-only.

A contact's participation preferences say what holds now; the ledger says how it came to be —
what was consented to, given or withdrawn, when, how (the portal, a staff edit, the admin, an
import), which wording the contact saw, and which staff user recorded it. It is written only by
`references.services.consent` (from the one writer of preferences, in the same transaction), and
never changed: its queryset refuses `update()` and `delete()`, an entry refuses `save()` once it
exists and `delete()` always, and the admin shows it read-only.
Deleting a contact (administrators only; erasure anonymizes instead) takes their entries along.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from references.models.contacts import Contact
from references.models.taxonomies import ActivityType
from references.querysets import ProgramRecordQuerySet


class ConsentSubject(models.TextChoices):
    """What a consent is about."""

    PROGRAM = "program", "Taking part in the reference program"
    ACTIVITY_TYPE = "activity_type", "Doing an activity type"


class ConsentMethod(models.TextChoices):
    """How a consent was given or withdrawn."""

    PORTAL = "portal", "By the contact, in the customer portal"
    STAFF = "staff", "Recorded by a reference manager"
    ADMIN = "admin", "Recorded by an administrator"
    IMPORT = "import", "Imported or set by RMS"


class ConsentQuerySet(ProgramRecordQuerySet):
    """The ledger is append-only: rows are added (`bulk_create`, `create`), never changed."""

    def update(self, **kwargs):
        raise TypeError("Consent entries are never changed: record a new entry instead.")

    def delete(self):
        raise TypeError("Consent entries are never deleted.")


class ConsentEntry(models.Model):
    """One consent given or withdrawn by a contact (see the module docstring)."""

    Subject = ConsentSubject
    Method = ConsentMethod

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_entries")
    subject = models.CharField("what", max_length=20, choices=ConsentSubject.choices)
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given = models.BooleanField(help_text="Given (true) or withdrawn (false).")
    recorded_at = models.DateTimeField("when", default=timezone.now)
    method = models.CharField("how", max_length=20, choices=ConsentMethod.choices)
    wording_version = models.CharField(
        max_length=40, help_text="The version of the text the contact saw (references/consent.py)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "consent entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=ConsentSubject.values), name="consent_subject_valid"
            ),
            models.CheckConstraint(condition=Q(method__in=ConsentMethod.values), name="consent_method_valid"),
            models.CheckConstraint(
                condition=Q(subject=ConsentSubject.ACTIVITY_TYPE, activity_type__isnull=False)
                | (~Q(subject=ConsentSubject.ACTIVITY_TYPE) & Q(activity_type__isnull=True)),
                name="consent_activity_type_iff_subject",
            ),
        ]
        indexes = [models.Index(fields=["contact", "-recorded_at"], name="consent_contact_latest")]

    def __str__(self) -> str:
        what = self.activity_type.name if self.activity_type_id else self.get_subject_display()
        return f"{self.contact}: {what} {'given' if self.given else 'withdrawn'}"

    def save(self, *args, **kwargs) -> None:
        # The one refusal a row can make: an entry already written is never written again.
        if not self._state.adding:
            raise TypeError("Consent entries are never changed: record a new entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Consent entries are never deleted.")
