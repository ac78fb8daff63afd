"""Demo data of the customer portal: customers' feedback on most of their done requests (after the
workflows' demo has completed them), so the manager's and requester's pages show it beside the
rep's, and the demo contacts' My history has ratings."""

from core.demo_pipeline import DemoContext
from customers.models import CustomerFeedback
from requests_app.models import ReferenceRequest
from requests_app.statuses import FEEDBACK_STATUSES

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
