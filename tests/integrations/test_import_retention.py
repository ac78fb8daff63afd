"""Uploaded spreadsheets hold contacts' personal data: a job is deleted IMPORT_KEEP_DAYS after
its upload, unless it is still being worked on; what it imported stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import ImportJob
from integrations.spreadsheets.retention import import_jobs_forget
from references.models import Contact
from tests.integrations.sheets import program_rows
from tests.integrations.test_import_service import check, imported

pytestmark = pytest.mark.django_db


def _age(job: ImportJob, days: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_old_jobs_are_deleted_with_their_files_and_what_they_imported_stays(manager, settings):
    settings.IMPORT_KEEP_DAYS = 7
    done = imported(manager, program_rows(3, accounts=1))
    only_checked = check(manager, program_rows(2, accounts=1))
    recent = check(manager, program_rows(2, accounts=1))
    contacts = Contact.objects.count()
    _age(done, 8)
    _age(only_checked, 8)
    _age(recent, 6)

    assert import_jobs_forget() == 2
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Contact.objects.count() == contacts


def test_a_job_being_worked_on_is_kept_however_old(manager, settings):
    settings.IMPORT_KEEP_DAYS = 7
    job = check(manager, program_rows(2, accounts=1))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    _age(job, 30)

    assert import_jobs_forget() == 0
    assert ImportJob.objects.filter(pk=job.pk).exists()
