"""Celery tasks of the integrations: thin interfaces over their services."""

from celery import shared_task

from integrations.spreadsheets.jobs import import_job_check_run, import_job_run
from integrations.spreadsheets.retention import import_jobs_forget

LIMITS = {"acks_late": True, "ignore_result": True, "soft_time_limit": 540, "time_limit": 600}


@shared_task(name="integrations.check_import", **LIMITS)
def check_import(job_id: int) -> str | None:
    """The dry run of a large uploaded spreadsheet (a job already taken or gone does nothing)."""
    job = import_job_check_run(job_id=job_id)
    return None if job is None else job.status


@shared_task(name="integrations.run_import", **LIMITS)
def run_import(job_id: int) -> str | None:
    """Import a queued spreadsheet (a job already claimed or gone does nothing)."""
    job = import_job_run(job_id=job_id)
    return None if job is None else job.status


@shared_task(name="integrations.forget_old_imports", **LIMITS)
def forget_old_imports() -> int:
    """Daily: delete uploaded spreadsheets past IMPORT_KEEP_DAYS (they hold personal data)."""
    return import_jobs_forget()
