"""Erasure: a contact asks (`erasure_ask`), a reference manager carries it out (`contact_erase`).

Carrying it out is one transaction: the requests naming the contact, the contact and its account
are locked in the program's lock order (docs/ARCHITECTURE.md), then `customers.erasure.plan`
is applied — mentions replaced, their own rows cleared, portal rows deleted — and the contact is
retired through the status service, so nobody offers them again. Activities, requests and
candidacies stay with their dates: the reports count the same after as before.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from customers.erasure.mentions import mentions_replace
from customers.erasure.plan import CLEARS, DELETES, ERASED_REASON, MENTIONS, Scope
from customers.erasure.terms import Terms
from customers.models import ErasureRequest
from customers.notices import erasure_requested
from customers.statuses import ErasureStatus
from matching.indexing import search_index_refresh
from references.models import Contact, ReferenceStatus
from references.services.status import contact_change_status
from references.visibility import runs_the_program
from requests_app.models import ReferenceRequest, RequestCandidate, RequestEvent


def erasure_days() -> int:
    return settings.PORTAL_ERASURE_DAYS


@transaction.atomic
def erasure_ask(*, contact: Contact) -> ErasureRequest:
    """The contact asks to be erased: an erasure request due in `PORTAL_ERASURE_DAYS` for the
    reference managers, who are told. Asking again while one is open returns that one."""
    # Two asks at once take turns on the contact's row (the partial unique constraint backs it).
    contact = Contact.objects.select_for_update().select_related("account").get(pk=contact.pk)
    existing = ErasureRequest.objects.filter(contact=contact, status=ErasureStatus.REQUESTED).first()
    if existing is not None:
        return existing
    now = timezone.now()
    due_on = timezone.localdate(now) + timedelta(days=erasure_days())
    erasure = ErasureRequest.objects.create(contact=contact, requested_at=now, due_on=due_on)
    erasure_requested(erasure)
    return erasure


@transaction.atomic
def contact_erase(*, erasure_id: int, actor: AbstractBaseUser) -> ErasureRequest:
    """Carry out an erasure request: anonymize the contact everywhere their personal data lives.

    Refuses (NotAllowed) anyone but a reference manager or an administrator, (InvalidInput) an
    unknown request, and (Conflict) one already carried out.
    """
    if not runs_the_program(actor):
        raise NotAllowed("Only a reference manager may carry out an erasure.")
    erasure = ErasureRequest.objects.filter(pk=erasure_id).first()
    if erasure is None:
        raise InvalidInput("This erasure request does not exist.")
    contact = _lock(erasure.contact_id)
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure_id)
    if not erasure.is_open:
        who = (erasure.done_by.get_full_name() or erasure.done_by.username) if erasure.done_by else "someone"
        raise Conflict(f"This erasure was already carried out by {who}.")
    _anonymize(contact)
    if contact.status != ReferenceStatus.RETIRED:
        contact_change_status(
            contact=contact, to_status=ReferenceStatus.RETIRED, reason=ERASED_REASON, actor=actor
        )
    ErasureRequest.objects.filter(pk=erasure.pk).update(
        status=ErasureStatus.DONE, done_at=timezone.now(), done_by=actor
    )
    # The account's story may have named them: the search index holds a copy.
    search_index_refresh(account_ids=[contact.account_id])
    erasure.refresh_from_db()
    return erasure


def _lock(contact_id: int) -> Contact:
    """The requests naming the contact (in id order), then the contact and its account."""
    candidacies = RequestCandidate.objects.filter(contact_id=contact_id).values("request_id")
    answered = RequestEvent.objects.filter(actor_contact_id=contact_id).values("request_id")
    list(
        ReferenceRequest.objects.select_for_update()
        .filter(Q(chosen_contact_id=contact_id) | Q(pk__in=candidacies) | Q(pk__in=answered))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Contact.objects.select_for_update().select_related("account").get(pk=contact_id)


def _anonymize(contact: Contact) -> None:
    """Apply the plan: a fixed number of statements whatever the number of rows."""
    terms = Terms.of(contact)
    mentions_replace(
        terms=terms, scope=Scope(contact_id=contact.pk, account_id=contact.account_id), targets=MENTIONS
    )
    for clear in CLEARS:  # `contact` keeps the values read under the lock: the rows are found by them
        clear.queryset(contact).update(**clear.values(terms))
    for label in DELETES:
        apps.get_model(label)._default_manager.filter(contact=contact).delete()
