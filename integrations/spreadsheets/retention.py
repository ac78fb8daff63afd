"""How long an uploaded spreadsheet is kept: a file holds contacts' personal data (names, emails,
phones), so an import job — its file, and the row errors that may quote its cells — is deleted
IMPORT_KEEP_DAYS after it was uploaded, unless it is still being worked on. The erasure of a
contact cannot find them inside a file; not keeping files is what protects them."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from integrations.models import ImportJob, ImportStatus

IN_PROGRESS = (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING)


def import_jobs_forget(*, now=None) -> int:
    """Delete the import jobs uploaded more than IMPORT_KEEP_DAYS ago that nothing works on any
    more; the number deleted. The accounts and contacts they imported stay."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_KEEP_DAYS)
    deleted, _ = ImportJob.objects.filter(created_at__lt=cutoff).exclude(status__in=IN_PROGRESS).delete()
    return deleted
