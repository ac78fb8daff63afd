"""The workflow admin: templates and steps are edited there; tasks are shown, never edited."""

import pytest
from django.urls import reverse

from workflows.models import Task, WorkflowTemplate

pytestmark = pytest.mark.django_db


def test_templates_and_their_steps_are_editable(client, admin_user):
    client.force_login(admin_user)
    template = WorkflowTemplate.objects.get(activity_type__code="reference_call")
    page = client.get(reverse("admin:workflows_workflowtemplate_change", args=[template.pk])).content.decode()
    assert "Account owner approval" in page and 'name="steps-0-sla_amount"' in page
    assert client.get(reverse("admin:workflows_workflowtemplate_changelist")).status_code == 200


def test_tasks_are_read_only_in_the_admin(client, admin_user, ref_request):
    client.force_login(admin_user)
    task = Task.objects.get(request=ref_request)
    page = client.get(reverse("admin:workflows_task_change", args=[task.pk])).content.decode()
    assert 'name="status"' not in page and 'name="_save"' not in page
    response = client.post(reverse("admin:workflows_task_change", args=[task.pk]), {"status": "done"})
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).status == "open"
    assert client.get(reverse("admin:workflows_task_changelist")).status_code == 200
    assert client.get(reverse("admin:workflows_task_add")).status_code == 403
