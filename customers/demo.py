"""Demo data of the customer portal: customers' feedback on most of their done requests (after the
workflows' demo has completed them), so the manager's and requester's pages show it beside the
rep's, and the demo contacts' My history has ratings; and two demo customers to sign in as, each
with an open ask and a history of activities, one reading the portal in English, one in German;
and what the program gave back: to the demo customers, to some contacts who did activities, and
to nobody among the few asked most (the manager's "Asked a lot, given little" list starts with
them)."""

from datetime import timedelta

from django.db.models import Count

from core.demo_pipeline import DemoContext
from customers.giveback import balances
from customers.models import CustomerFeedback, GiveBack
from customers.statuses import GiveBackKind
from references.models import ActivityType, Contact, ReferenceActivity
from requests_app.models import ReferenceRequest
from requests_app.statuses import FEEDBACK_STATUSES, RequestStatus

# The demo customers' addresses (README "Customer portal"), their language and zone.
DEMO_CUSTOMERS = (
    ("customer@demo.test", "en", "America/New_York"),
    ("kunde@demo.test", "de", "Europe/Berlin"),
)

SHARE = 0.7  # of done requests that get the customer's feedback
RATINGS = (5, 5, 5, 4, 4, 4, 4, 3, 3, 2)
COMMENTS = (
    "",
    "",
    "Good conversation; they asked sharp questions about the rollout.",
    "Happy to help again, but please give me more notice next time.",
    "The prospect had not read the case study, so we spent the call on basics.",
    "Enjoyed it — it was good to hear how another team runs things.",
    "Too long for what they needed; 30 minutes would have been enough.",
)


def seed(ctx: DemoContext) -> None:
    done = (
        ReferenceRequest.objects.filter(status__in=FEEDBACK_STATUSES, chosen_contact__isnull=False)
        .order_by("id")
        .values_list("id", "chosen_contact_id")
    )
    rows = [
        CustomerFeedback(
            request_id=request_id,
            contact_id=contact_id,
            rating=ctx.rng.choice(RATINGS),
            comment=ctx.rng.choice(COMMENTS),
        )
        for request_id, contact_id in done
        if ctx.rng.random() < SHARE
    ]
    CustomerFeedback.objects.bulk_create(rows, batch_size=5000)
    CustomerFeedback.objects.update(submitted_at=ctx.now)  # the demo's moment, not the machine's
    ctx.log(f"customers: {len(rows)} customer feedback on done requests")
    _demo_customers(ctx)
    _give_back(ctx)


def _demo_customers(ctx: DemoContext) -> None:
    """The contacts asked most recently who have done the most, under addresses easy to type."""
    asked = (
        Contact.objects.filter(chosen_for_requests__status=RequestStatus.CUSTOMER_ASKED)
        .annotate(done=Count("activities", distinct=True))
        .order_by("-done", "id")[: len(DEMO_CUSTOMERS)]
    )
    lines = []
    for contact, (email, language, zone) in zip(list(asked), DEMO_CUSTOMERS, strict=False):
        Contact.objects.filter(pk=contact.pk).update(email=email, language=language, time_zone=zone)
        if not contact.done:  # a small demo's second asked customer may have done nothing yet
            _history(ctx, contact)
        lines.append(f"  {email:<20} {contact.full_name} of {contact.account.name} ({language})")
    ctx.log(
        "Demo customers (portal /portal/, a sign-in link is emailed; console backend: the worker prints it):"
    )
    for line in lines:
        ctx.log(line)


HISTORY_DAYS_AGO = (200, 75)  # a demo customer with no activity yet gets two, long rested


def _history(ctx: DemoContext, contact: Contact) -> None:
    """Two past reference calls, so My history has something to show."""
    call = ActivityType.objects.get(code="reference_call")
    ReferenceActivity.objects.bulk_create(
        ReferenceActivity(
            contact=contact,
            account_id=contact.account_id,
            activity_type=call,
            occurred_on=ctx.today - timedelta(days=days),
            duration_minutes=30,
            recorded_by=ctx.users["manager"],
        )
        for days in HISTORY_DAYS_AGO
    )


GIVE_BACK_SHARE = 0.3  # of contacts with activities in the last year who were given something
LEFT_WAITING = 3  # the contacts asked most, given nothing: the program's list starts with them
MESSAGES = (
    "",
    "",
    "Thank you for all the calls this year — we saved you a seat in the next beta.",
    "Your feedback shaped the new reporting screens; thank you!",
    "We would love to hear you on stage at the user conference.",
)
NOTES = ("", "", "Asked for it at the last call.", "Their account team suggested it.")


def _give_back(ctx: DemoContext) -> None:
    """Give-back within the last year: two things for each demo customer, one or two for a share
    of the contacts who did activities, nothing for the few asked most."""
    manager = ctx.users.get("manager")
    demo_emails = [email for email, _, _ in DEMO_CUSTOMERS]
    customers = list(Contact.objects.filter(email__in=demo_emails).values_list("id", flat=True))
    ranked = balances(Contact.objects.all(), today=ctx.today).filter(asks__gt=0).order_by("-asks", "id")
    asked = [c for c in ranked.values_list("id", flat=True) if c not in customers]
    waiting = set(asked[:LEFT_WAITING])
    chosen = [c for c in asked if c not in waiting and ctx.rng.random() < GIVE_BACK_SHARE]
    rows = [
        _row(ctx, contact_id, manager, kind)
        for contact_id in customers
        for kind in (GiveBackKind.BETA_SEAT, GiveBackKind.RECOGNITION)
    ]
    for contact_id in chosen:
        rows += [_row(ctx, contact_id, manager) for _ in range(ctx.rng.choice((1, 1, 2)))]
    GiveBack.objects.bulk_create(rows, batch_size=5000)
    GiveBack.objects.update(created_at=ctx.now)
    ctx.log(f"customers: {len(rows)} give-back to {len({r.contact_id for r in rows})} contacts")


def _row(ctx: DemoContext, contact_id: int, manager, kind: str | None = None) -> GiveBack:
    return GiveBack(
        contact_id=contact_id,
        kind=kind or ctx.rng.choice(GiveBackKind.values),
        given_on=ctx.today - timedelta(days=ctx.rng.randrange(0, 330)),
        message=ctx.rng.choice(MESSAGES),
        note=ctx.rng.choice(NOTES),
        recorded_by=manager,
    )
