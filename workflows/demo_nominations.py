"""Demo nominations made through the services, so each state carries what it should: a rep's
nomination qualifying with the owner's consent task on their list, one accepted with its
recruitment tasks on the manager's, one declined with the reason the rep reads, and customers who
volunteered on the public page (one matched to their account, one left for a manager to pick).
The bulk history (`workflows.demo_history`) adds more waiting and declined ones."""

from datetime import timedelta

from django.contrib.auth.models import User

from core.demo_pipeline import DemoContext
from references.models import Account, Contact, Persona
from references.statuses import ReferenceStatus
from requests_app.models import Nomination
from workflows.nominations import (
    nomination_accept,
    nomination_consent,
    nomination_decline,
    nomination_qualify,
    nomination_submit,
)
from workflows.volunteers import Offer, nomination_volunteer

LIVE = (ReferenceStatus.CANDIDATE, ReferenceStatus.ACTIVE)


def _accounts(owner: User, count: int) -> list[Account]:
    return list(
        Account.objects.filter(owner=owner, status__in=LIVE)
        .exclude(nominations__status__in=Nomination.PENDING)
        .order_by("id")[:count]
    )


def _candidate(account: Account) -> Contact | None:
    return Contact.objects.filter(account=account, status=ReferenceStatus.CANDIDATE).order_by("id").first()


def _nominate(rep: User, account: Account, name: str, reason: str) -> Nomination:
    contact = _candidate(account)
    if contact is not None:
        return nomination_submit(nominator=rep, account=account, contact=contact, reason=reason)
    return nomination_submit(
        nominator=rep,
        account=account,
        contact_name=name,
        contact_title="Head of Operations",
        contact_email=f"{name.split()[0].lower()}@{account.pk}.demo.example",
        reason=reason,
    )


def _backdate(ctx: DemoContext, nomination: Nomination, days: int) -> None:
    Nomination.objects.filter(pk=nomination.pk).update(created_at=ctx.now - timedelta(days=days))


def seed_nominations(ctx: DemoContext) -> None:
    manager, rep, other = (ctx.users.get(name) for name in ("manager", "sales", "sales2"))
    persona = Persona.objects.filter(is_active=True).order_by("id").first()
    if not (manager and rep and other and persona):
        return
    theirs = _accounts(other, 3)  # the other rep owns these: the consent task lands on their list
    mine = _accounts(rep, 1)
    if len(theirs) < 3 or not mine:
        return
    qualifying = _nominate(
        rep, theirs[0], "Dana Whitfield", "Ran our rollout in six weeks; loves to talk about it."
    )
    nomination_qualify(nomination_id=qualifying.pk, actor=manager)
    _backdate(ctx, qualifying, 6)

    accepted = _nominate(
        rep, theirs[1], "Priya Natarajan", "Cut reporting time in half; presented at our summit."
    )
    nomination_qualify(nomination_id=accepted.pk, actor=manager)
    nomination_consent(
        nomination_id=accepted.pk, actor=other, give=True, note="Great relationship; go ahead."
    )
    nomination_accept(nomination_id=accepted.pk, actor=manager, persona=persona)
    _backdate(ctx, accepted, 12)

    declined = _nominate(rep, theirs[2], "Marco Bellini", "Very happy with support lately.")
    nomination_decline(
        nomination_id=declined.pk,
        actor=manager,
        reason="They have two open escalations; let's revisit once those are closed.",
    )
    _backdate(ctx, declined, 20)

    account = mine[0]
    volunteers = [
        Offer(
            "Jordan Ellis",
            "jordan.ellis@volunteer.demo.example",
            account.name,
            "IT Director",
            "A reference call.",
        ),
        Offer(
            "Sam Okafor",
            "sam.okafor@unknown.demo.example",
            "Okafor Logistics",
            "COO",
            "A quote or a case study.",
        ),
    ]
    for days, offer in enumerate(volunteers, start=1):
        volunteered = nomination_volunteer(offer=offer)
        if volunteered is not None:
            _backdate(ctx, volunteered, days)
    ctx.log("  nominations: qualifying, accepted, declined (with their tasks) and 2 volunteers")
