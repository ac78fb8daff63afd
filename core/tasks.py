"""Celery tasks of core: thin interfaces over the sign-in records' upkeep."""

from celery import shared_task

from core import signin


@shared_task(name="core.forget_old_sign_ins", acks_late=True, ignore_result=True)
def forget_old_sign_ins() -> int:
    """Nightly: the sign-in log keeps SIGNIN_LOG_DAYS; axes writes a row at every sign-in."""
    return signin.forget_old_sign_ins()
