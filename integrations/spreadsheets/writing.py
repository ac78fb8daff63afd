"""The import: writing a clean plan (planning.py) in bulk — a fixed number of statements per
batch of rows, not per row — inside the caller's transaction, so the whole file is written or
nothing is. New accounts first (their ids for the contacts), then the accounts' products, the
contacts, and each new contact's default participation preferences (as `contact_create` gives
them: no consent, nothing to enter in the consent ledger).

`bulk_update` does not stamp `updated_at` (auto_now), so it is set here: the search index's
refresh of what changed (matching.indexing) finds the rows by it.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from integrations.spreadsheets.planning import Plan
from references.models import Account, Contact, ParticipationPreferences

BATCH = 1000
Progress = Callable[[int], None]


def plan_write(plan: Plan, *, progress: Progress | None = None) -> None:
    """Write the plan; must run inside a transaction (the import's, all or nothing)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("plan_write runs inside the import's transaction")
    tick = progress or (lambda done: None)
    now = timezone.now()
    done = 0
    for start in range(0, len(plan.accounts), BATCH):
        batch = plan.accounts[start : start + BATCH]
        _write_accounts(batch, now)
        done += len(batch)
        tick(done)
    for start in range(0, len(plan.contacts), BATCH):
        batch = plan.contacts[start : start + BATCH]
        _write_contacts(batch, now)
        done += len(batch)
        tick(done)


def _write_accounts(batch, now) -> None:
    Account.objects.bulk_create([p.account for p in batch if p.is_new], batch_size=BATCH)
    changed = [p for p in batch if not p.is_new and p.changed]
    fields = sorted(set().union(*(p.changed for p in changed))) if changed else []
    for plan in changed:
        plan.account.updated_at = now
    if changed:
        Account.objects.bulk_update([p.account for p in changed], [*fields, "updated_at"], batch_size=BATCH)
    with_products = [p for p in batch if p.products_changed]
    if with_products:
        through = Account.products.through
        stale = [p.account.pk for p in with_products if not p.is_new]
        through.objects.filter(account_id__in=stale).delete()
        rows = [
            through(account_id=p.account.pk, product_id=pk)
            for p in with_products
            for pk in sorted(p.products or ())
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        touched = [p.account.pk for p in with_products if not p.is_new and not p.changed]
        Account.objects.filter(pk__in=touched).update(updated_at=now)


def _write_contacts(batch, now) -> None:
    new = [p for p in batch if p.is_new]
    for plan in new:
        plan.contact.account = plan.target.account
    Contact.objects.bulk_create([p.contact for p in new], batch_size=BATCH)
    ParticipationPreferences.objects.bulk_create(
        [ParticipationPreferences(contact=p.contact) for p in new], batch_size=BATCH
    )
    changed = [p for p in batch if not p.is_new and p.changed]
    if changed:
        fields = sorted(set().union(*(p.changed for p in changed)))
        for plan in changed:
            plan.contact.updated_at = now
        Contact.objects.bulk_update([p.contact for p in changed], [*fields, "updated_at"], batch_size=BATCH)
