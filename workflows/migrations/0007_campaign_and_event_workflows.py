"""Workflows for campaign requests and planned events.

Campaign requests (marketing and PR asking for a press interview, an analyst briefing, a speaking
slot, a case study, a review or an advisory board, with no deal) run through the same transition
table as every request, with the template of their activity type; 0003 installed those. This
makes sure each of those types, and the one-to-many types planned events use (group reference
call, webinar, customer council, user-group session), exists and has a template, installing the
steps below where one is missing. Existing templates (perhaps edited in the admin) are kept.
"""

from django.db import migrations

from references import taxonomy_data as data

H, D = "business_hours", "business_days"

COMMON = [
    ("Triage the request", "manager", "submitted", 4, H, False),
    ("Review and choose the reference", "manager", "in_review", 1, D, True),
    ("Answer the manager's question", "requester", "needs_info", 2, D, False),
    ("Account owner approval", "account_owner", "awaiting_owner", 2, D, True),
]
FEEDBACK = ("Give feedback on the activity", "requester", "completed", 3, D, False)
CAMPAIGN = [
    ("Ask the customer", "manager", "customer_asked", 1, D, False),
    ("Brief the customer with marketing", "marketing", "customer_asked", 2, D, False),
    ("Hold the activity and record it", "manager", "scheduled", 1, D, False),
    FEEDBACK,
]
EVENT = [
    ("Invite the speaker", "manager", "customer_asked", 2, D, False),
    ("Prepare the session with the speaker", "marketing", "scheduled", 5, D, False),
    ("Hold the event and record attendance", "manager", "scheduled", 1, D, False),
    FEEDBACK,
]


def install(apps, schema_editor):
    ActivityType = apps.get_model("references", "ActivityType")
    WorkflowTemplate = apps.get_model("workflows", "WorkflowTemplate")
    WorkflowStep = apps.get_model("workflows", "WorkflowStep")
    names = {code: (name, counts, one_to_many) for code, name, counts, one_to_many in data.ACTIVITY_TYPES}
    last = ActivityType.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    for code in (*data.CAMPAIGN_ACTIVITY_TYPES, *data.EVENT_ACTIVITY_TYPES):
        name, counts, one_to_many = names[code]
        activity_type = ActivityType.objects.filter(code=code).first()
        if activity_type is None:
            last += 1
            activity_type = ActivityType.objects.create(
                code=code, name=name, sort_order=last, counts_toward_limits=counts, is_one_to_many=one_to_many
            )
        template, created = WorkflowTemplate.objects.get_or_create(
            activity_type=activity_type, defaults={"name": f"{activity_type.name} workflow"}
        )
        if not created:
            continue
        steps = COMMON + (EVENT if code in data.EVENT_ACTIVITY_TYPES else CAMPAIGN)
        WorkflowStep.objects.bulk_create(
            WorkflowStep(
                template=template,
                order=order,
                name=step_name,
                role=role,
                request_status=status,
                sla_amount=amount,
                sla_unit=unit,
                is_approval=approval,
            )
            for order, (step_name, role, status, amount, unit, approval) in enumerate(steps, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_customer_accepted_notice"),
        ("references", "0012_event_activity_types"),
    ]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
