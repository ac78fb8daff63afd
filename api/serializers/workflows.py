"""JSON shapes of the workflow API: the actions open to a user, a transition's input, tasks."""

from rest_framework import serializers

from api.serializers.fields import DateField, DateTimeField, IdField
from workflows.models import Task


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    needs = serializers.CharField()
    target = serializers.CharField()
    note_required = serializers.BooleanField()


class TransitionInputSerializer(serializers.Serializer):
    """What a transition may take; the workflow service validates every value."""

    action = serializers.CharField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    expected_status = serializers.CharField(required=False, allow_blank=True, max_length=20)
    contact = IdField(required=False)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    scheduled_for = DateTimeField(required=False)
    assignee = IdField(required=False)
    occurred_on = DateField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=1440)
    participants = serializers.ListField(child=IdField(), required=False, max_length=50)


class RequestStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    assigned_manager_id = serializers.IntegerField(allow_null=True)
    chosen_contact_id = serializers.IntegerField(allow_null=True)
    scheduled_for = serializers.DateTimeField(allow_null=True)


class TaskSerializer(serializers.ModelSerializer):
    request_id = serializers.IntegerField()
    activity_type = serializers.CharField(source="request.activity_type.code")
    assignee_id = serializers.IntegerField(allow_null=True)
    is_late = serializers.BooleanField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "request_id",
            "activity_type",
            "assignee_id",
            "assignee_role",
            "due_at",
            "is_late",
            "escalated_at",
        ]
