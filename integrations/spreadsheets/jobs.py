"""Import jobs: the services the manager's import page calls.

`import_job_check` reads the upload and runs the dry run, keeping the file and what the dry run
found in an ImportJob (nothing else is written). `import_job_start` imports a clean job: a file
up to IMPORT_BACKGROUND_ROWS rows at once, a larger one through a Celery task
(integrations.tasks.run_import), enqueued after commit. `import_job_run` does the import itself:
it claims the job by a conditional UPDATE (so a redelivered message or a second click imports
once), checks every row again inside ONE transaction (the catalogue may have changed since the
dry run) and writes the plan in bulk, all or nothing.

Progress: the import's transaction stays open until the end, so rows it writes to the database
are invisible to the page polling it. Progress therefore goes to the shared cache (Redis) under
the job's id, which the page reads; with the cache down the bar waits and the result still
appears, read from the job's row once the transaction commits.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from core.cache import CACHE_ERRORS
from core.errors import Conflict, InvalidInput
from integrations.models import ImportJob, ImportStatus
from integrations.spreadsheets.planning import plan_import
from integrations.spreadsheets.reading import sheet_peek, sheet_read
from integrations.spreadsheets.writing import plan_write

logger = logging.getLogger(__name__)
ERRORS_KEPT = 1000  # errors listed on the page; the count says how many more
PROGRESS_TIMEOUT = 3600


def import_job_check(*, user: AbstractBaseUser, filename: str, data: bytes) -> ImportJob:
    """The dry run of an upload: an ImportJob, checked (ready to import) or invalid (its errors
    by row and column). A file that is not a program spreadsheet is InvalidInput on `file`.

    A file of more than IMPORT_BACKGROUND_ROWS rows is checked by a Celery task (the job is
    `checking` meanwhile, its progress polled like an import's): parsing 50,000 XLSX rows takes
    longer than a web request may."""
    rows = sheet_peek(filename=filename, data=data)
    job = ImportJob(user=user, filename=filename[:255], content=data, status=ImportStatus.CHECKING)
    if rows > settings.IMPORT_BACKGROUND_ROWS:
        job.total_rows = rows
        job.save()
        progress_set(job.pk, 0, rows)
        transaction.on_commit(lambda: _enqueue("check_import", job.pk))
        return job
    sheet = sheet_read(filename=filename, data=data)
    plan = plan_import(sheet, user=user)
    job.total_rows = len(sheet.rows)
    job.save()
    return _checked(job, plan)


def import_job_check_run(*, job_id: int) -> ImportJob | None:
    """The background dry run of a large file (integrations.tasks.check_import)."""
    job = _claim(job_id, ImportStatus.CHECKING, ImportStatus.CHECKING)
    if job is None:
        return None
    try:
        sheet = sheet_read(filename=job.filename, data=bytes(job.content))
        job.total_rows = len(sheet.rows)
        plan = plan_import(
            sheet, user=job.user, progress=lambda done: progress_set(job_id, done, job.total_rows)
        )
    except InvalidInput as error:
        job.status, job.message, job.started_at = ImportStatus.INVALID, error.message, None
        job.save(update_fields=["status", "message", "started_at"])
        return job
    except BaseException:  # a time limit, a bug: the job ends failed, not checking for ever
        _abandoned(job_id, ImportStatus.CHECKING, "The check stopped before its end. Upload the file again.")
        raise
    return _checked(job, plan)


def _checked(job: ImportJob, plan) -> ImportJob:
    job.status = ImportStatus.INVALID if plan.errors else ImportStatus.CHECKED
    job.summary, job.errors, job.error_count = plan.summary(), _errors(plan.errors), len(plan.errors)
    job.started_at = None
    job.save(update_fields=["status", "total_rows", "summary", "errors", "error_count", "started_at"])
    return job


def _claim(job_id: int, claim_from: str, status: str) -> ImportJob | None:
    """Take the job for this worker (a conditional UPDATE: one taker), or None. A job a dead
    worker left behind (its transaction rolled back, nothing written) is taken again by the
    redelivered message once the task's time limit has passed."""
    now = timezone.now()
    abandoned = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=claim_from, started_at__isnull=True) | Q(status=status, started_at__lt=abandoned)
    if not ImportJob.objects.filter(claimable, pk=job_id).update(status=status, started_at=now):
        return None
    return ImportJob.objects.get(pk=job_id)


@transaction.atomic
def import_job_start(*, job: ImportJob) -> ImportJob:
    """Import a checked job now, or queue it when it is large. Refused (Conflict) unless it is
    checked: a second click, or a file whose dry run found errors."""
    if job.total_rows > settings.IMPORT_BACKGROUND_ROWS:
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.QUEUED
        )
        if not claimed:
            raise Conflict("This file is not ready to import: check it again.")
        progress_set(job.pk, 0, job.total_rows * 2)
        transaction.on_commit(lambda: _enqueue("run_import", job.pk))
        return ImportJob.objects.get(pk=job.pk)
    done = import_job_run(job_id=job.pk, claim_from=ImportStatus.CHECKED)
    if done is None:
        raise Conflict("This file is not ready to import: check it again.")
    return done


def _enqueue(task: str, job_id: int) -> None:
    from integrations import tasks

    try:
        getattr(tasks, task).delay(job_id)
    except Exception:  # the broker is down: say so on the page rather than wait for ever
        logger.exception("Import %s could not be queued", job_id)
        ImportJob.objects.filter(pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.CHECKING]).update(
            status=ImportStatus.FAILED,
            message="The import could not be queued. Try again later.",
            finished_at=timezone.now(),
        )


def import_job_run(*, job_id: int, claim_from: str = ImportStatus.QUEUED) -> ImportJob | None:
    """Import the job's file, all or nothing; None when the job is gone or already claimed."""
    job = _claim(job_id, claim_from, ImportStatus.RUNNING)
    if job is None:
        return None
    total = job.total_rows * 2
    try:
        with transaction.atomic():
            sheet = sheet_read(filename=job.filename, data=bytes(job.content))
            rows = len(sheet.rows)
            plan = plan_import(sheet, user=job.user, progress=lambda done: progress_set(job_id, done, total))
            if plan.errors:
                return _finish(job, ImportStatus.INVALID, plan, "The catalogue changed since the dry run.")
            records = max(1, len(plan.accounts) + len(plan.contacts))
            plan_write(plan, progress=lambda done: progress_set(job_id, rows + done * rows // records, total))
            _finish(job, ImportStatus.DONE, plan, "")
    except (InvalidInput, DatabaseError) as error:
        logger.exception("Import %s failed", job_id)
        message = (
            error.message
            if isinstance(error, InvalidInput)
            else "A record changed during the import: try again."
        )
        job.status, job.message, job.finished_at = ImportStatus.FAILED, message, timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
    except BaseException:  # a time limit, a bug: the job ends failed, not running for ever
        _abandoned(job_id, ImportStatus.RUNNING, "The import stopped before its end; nothing was written.")
        raise
    progress_set(job_id, total, total)
    return job


def _abandoned(job_id: int, status: str, message: str) -> None:
    """Mark a job its worker gives up on (an unexpected error) failed, so its page stops
    waiting; inside a caller's transaction the mark rolls back with the rest."""
    ImportJob.objects.filter(pk=job_id, status=status).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )


def _finish(job: ImportJob, status: str, plan, message: str) -> ImportJob:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.summary, job.errors, job.error_count = plan.summary(), _errors(plan.errors), len(plan.errors)
    fields = ["status", "message", "finished_at", "summary", "errors", "error_count"]
    if status == ImportStatus.DONE:
        job.content = b""  # imported: the file is not needed any more (up to IMPORT_UPLOAD_MAX_MB)
        fields.append("content")
    job.save(update_fields=fields)
    return job


def _errors(errors) -> list[dict]:
    return [{"row": e.row, "column": e.column, "message": e.message} for e in errors[:ERRORS_KEPT]]


# --- progress ------------------------------------------------------------------------------


def _key(job_id: int) -> str:
    return f"integrations:import-progress:{job_id}"


def progress_set(job_id: int, done: int, total: int) -> None:
    try:
        cache.set(_key(job_id), (done, total), PROGRESS_TIMEOUT)
    except CACHE_ERRORS as error:
        logger.warning("Import progress not recorded: %s", error)


def import_job_progress(job: ImportJob) -> int:
    """How far the job is, in percent (100 once it is finished)."""
    if not job.is_running:
        return 100 if job.finished_at else 0
    try:
        done, total = cache.get(_key(job.pk)) or (0, 1)
    except CACHE_ERRORS:
        done, total = 0, 1
    return min(99, done * 100 // max(total, 1))
