"""The request flows the users play: planned from the demo so that every step can succeed."""

import itertools
from dataclasses import dataclass

REPS = ("sales", "sales2")


@dataclass(frozen=True)
class Flow:
    """One request's way: `kind` is owner (the account owner approves), for_owner (the manager
    approves on the owner's behalf and schedules the call), cancel_submitted or cancel_approved
    (the rep cancels)."""

    kind: str
    rep: str
    deal: int
    contact: int
    activity_type: int
    owner: str


def plan_flows(count: int) -> list[Flow]:
    """Flows the demo allows today: one contact per account, offerable, active, willing to do the
    activity, within its burnout limits and not in an open request; contacts of accounts a demo
    rep owns go to `owner` flows (the other rep asks), the others rotate through the other kinds."""
    from django.contrib.auth.models import User

    from limits.selectors import availability_for
    from references.models import Contact, Opportunity
    from references.statuses import ReferenceStatus
    from requests_app.models import RequestCandidate
    from requests_app.statuses import OPEN_STATUSES

    deals = {}
    for rep in REPS:
        user = User.objects.get(username=rep)
        open_deals = Opportunity.objects.visible_to(user).filter(outcome=Opportunity.Outcome.OPEN)
        deals[rep] = list(open_deals.order_by("pk").values_list("pk", flat=True))
    busy = RequestCandidate.objects.filter(request__status__in=OPEN_STATUSES).values("contact_id")
    contacts = (
        Contact.objects.offerable()
        .filter(status=ReferenceStatus.ACTIVE)
        .exclude(pk__in=busy)
        .select_related("account__owner")
        .prefetch_related("preferences__activity_types")
        .order_by("pk")
    )
    candidates, accounts = [], set()
    for contact in contacts:
        if contact.account_id in accounts:  # one per account: its limit counts all its contacts
            continue
        preferences = getattr(contact, "preferences", None)
        kinds = sorted(t.pk for t in preferences.activity_types.all() if t.is_active) if preferences else []
        if kinds and contact.account.owner_id:
            candidates.append((contact.pk, kinds[0], contact.account.owner.username))
            accounts.add(contact.account_id)
    ok = set()
    for activity_type in {kind for _, kind, _ in candidates}:
        ids = [pk for pk, kind, _ in candidates if kind == activity_type]
        ok |= {pk for pk, answer in availability_for(ids, activity_type=activity_type).items() if answer.ok}
    others = itertools.cycle(["for_owner", "cancel_submitted", "for_owner", "cancel_approved"])
    flows, turn = [], 0
    for pk, activity_type, owner in candidates:
        if pk not in ok:
            continue
        if owner in REPS:
            rep, kind = REPS[1 - REPS.index(owner)], "owner"
        else:
            rep, kind = REPS[turn % 2], next(others)
        turn += 1
        flows.append(Flow(kind, rep, deals[rep][turn % len(deals[rep])], pk, activity_type, owner))
    # The owner flows spread among the others, so every phase sees every kind.
    owned = [f for f in flows if f.kind == "owner"]
    rest = [f for f in flows if f.kind != "owner"]
    mixed = []
    step = max(1, len(rest) // max(1, len(owned)))
    for n, flow in enumerate(rest):
        if n % step == 0 and owned:
            mixed.append(owned.pop())
        mixed.append(flow)
    return (mixed + owned)[:count]
