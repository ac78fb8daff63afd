"""Celery tasks of customers: thin interfaces over customers.mail (the sign-in emails).

They run on the notifications queue (settings CELERY_TASK_ROUTES). A transient failure (the mail
server, the database) is tried again with the deliveries' backoff; each attempt mints new links,
which cancel the ones of the failed attempt.
"""

from celery import shared_task

from customers import housekeeping, mail
from notifications.delivery import MAX_ATTEMPTS, is_transient, retry_delay

LIMITS = {"acks_late": True, "ignore_result": True, "soft_time_limit": 60, "time_limit": 90}


@shared_task(name="customers.send_sign_in_links", bind=True, max_retries=MAX_ATTEMPTS, **LIMITS)
def send_sign_in_links(self, address: str, next_path: str) -> int:
    """Email sign-in links to the contacts of `address` (none when it is nobody's)."""
    try:
        return mail.sign_in_links_send(address=address, next_path=next_path)
    except Exception as error:
        if is_transient(error) and self.request.retries < MAX_ATTEMPTS:
            raise self.retry(countdown=retry_delay(self.request.retries + 1)) from error
        raise


@shared_task(name="customers.send_renewed_link", bind=True, max_retries=MAX_ATTEMPTS, **LIMITS)
def send_renewed_link(self, digest: str) -> int:
    """Email a fresh link to the contact of the dead link whose token hashes to `digest`."""
    try:
        return mail.renewed_link_send(digest=digest)
    except Exception as error:
        if is_transient(error) and self.request.retries < MAX_ATTEMPTS:
            raise self.retry(countdown=retry_delay(self.request.retries + 1)) from error
        raise


@shared_task(name="customers.forget_old_portal_records", **LIMITS)
def forget_old_portal_records() -> dict[str, int]:
    return housekeeping.portal_records_forget()
