"""Install a default workflow for every activity type (editable afterwards in the admin).

Every workflow starts with the program's triage and review, pauses for the requester when the
manager needs information, and asks the account owner before the customer is approached. What
follows the customer's yes depends on the activity. Steps are (name, role, request status,
service level amount, unit, is approval); steps bound to the same status run one after another.
"""

from django.db import migrations

H, D = "business_hours", "business_days"

COMMON = [
    ("Triage the request", "manager", "submitted", 4, H, False),
    ("Review and choose the reference", "manager", "in_review", 1, D, True),
    ("Answer the manager's question", "requester", "needs_info", 2, D, False),
    ("Account owner approval", "account_owner", "awaiting_owner", 2, D, True),
]
FEEDBACK = ("Give feedback on the activity", "requester", "completed", 3, D, False)

AFTER_APPROVAL = {
    "reference_call": [
        ("Ask the customer", "manager", "customer_asked", 1, D, False),
        ("Schedule the call", "manager", "customer_asked", 3, D, False),
        ("Hold the call and record it", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "site_visit": [
        ("Ask the customer", "manager", "customer_asked", 1, D, False),
        ("Agree the date and agenda of the visit", "manager", "customer_asked", 5, D, False),
        ("Host the visit and record it", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "case_study": [
        ("Get the customer's agreement", "manager", "customer_asked", 3, D, False),
        ("Interview the customer", "marketing", "scheduled", 5, D, False),
        ("Write the draft", "marketing", "scheduled", 5, D, False),
        ("Customer approval of the draft", "manager", "scheduled", 5, D, True),
        ("Publish the case study", "marketing", "scheduled", 2, D, False),
        FEEDBACK,
    ],
    "video": [
        ("Get the customer's agreement", "manager", "customer_asked", 3, D, False),
        ("Film the testimonial", "marketing", "scheduled", 10, D, False),
        ("Edit the video", "marketing", "scheduled", 10, D, False),
        ("Customer approval of the cut", "manager", "scheduled", 5, D, True),
        ("Publish the video", "marketing", "scheduled", 2, D, False),
        FEEDBACK,
    ],
    "press_interview": [
        ("Ask the customer", "manager", "customer_asked", 1, D, False),
        ("Brief the customer with PR", "marketing", "customer_asked", 2, D, False),
        ("Hold the interview and record it", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "analyst_briefing": [
        ("Ask the customer", "manager", "customer_asked", 1, D, False),
        ("Brief the customer with analyst relations", "marketing", "customer_asked", 2, D, False),
        ("Hold the briefing and record it", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "speaking_slot": [
        ("Invite the speaker", "manager", "customer_asked", 2, D, False),
        ("Prepare the talk with the speaker", "marketing", "scheduled", 10, D, False),
        ("Record the session", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "peer_networking": [
        ("Invite the customer", "manager", "customer_asked", 2, D, False),
        ("Hold the event and record it", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "advisory_board": [
        ("Invite the customer to the board", "manager", "customer_asked", 3, D, False),
        ("Record the board session", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "beta_program": [
        ("Offer the beta seat", "manager", "customer_asked", 3, D, False),
        ("Onboard the customer to the beta", "marketing", "scheduled", 5, D, False),
        ("Record the beta participation", "manager", "scheduled", 1, D, False),
        FEEDBACK,
    ],
    "online_review": [
        ("Ask for the review", "manager", "customer_asked", 2, D, False),
        ("Check the review is published", "marketing", "scheduled", 10, D, False),
        FEEDBACK,
    ],
    "quote_logo": [
        ("Get written permission", "manager", "customer_asked", 3, D, False),
        ("Customer approval of the wording", "manager", "scheduled", 3, D, True),
        ("Publish the quote or logo", "marketing", "scheduled", 2, D, False),
        FEEDBACK,
    ],
}
GENERIC = [
    ("Ask the customer", "manager", "customer_asked", 2, D, False),
    ("Hold the activity and record it", "manager", "scheduled", 1, D, False),
    FEEDBACK,
]


def install(apps, schema_editor):
    ActivityType = apps.get_model("references", "ActivityType")
    WorkflowTemplate = apps.get_model("workflows", "WorkflowTemplate")
    WorkflowStep = apps.get_model("workflows", "WorkflowStep")
    for activity_type in ActivityType.objects.all():
        template, created = WorkflowTemplate.objects.get_or_create(
            activity_type=activity_type, defaults={"name": f"{activity_type.name} workflow"}
        )
        if not created:
            continue
        steps = COMMON + AFTER_APPROVAL.get(activity_type.code, GENERIC)
        WorkflowStep.objects.bulk_create(
            WorkflowStep(
                template=template,
                order=order,
                name=name,
                role=role,
                request_status=status,
                sla_amount=amount,
                sla_unit=unit,
                is_approval=approval,
            )
            for order, (name, role, status, amount, unit, approval) in enumerate(steps, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_events_notices_calendars"),
        ("references", "0002_seed_taxonomies"),
    ]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
