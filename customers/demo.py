"""Demo data of the customer portal: customers' feedback on most of their done requests (after the
workflows' demo has completed them), so the manager's and requester's pages show it beside the
rep's, and the demo contacts' My history has ratings; and two demo customers to sign in as, each
with an open ask and a history of activities, one reading the portal in English, one in German."""

from django.db.models import Count

from core.demo_pipeline import DemoContext
from customers.models import CustomerFeedback
from references.models import Contact
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
        lines.append(f"  {email:<20} {contact.full_name} of {contact.account.name} ({language})")
    ctx.log(
        "Demo customers (portal /portal/, a sign-in link is emailed; console backend: the worker prints it):"
    )
    for line in lines:
        ctx.log(line)
