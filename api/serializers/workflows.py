"""JSON shapes of the workflow API: the actions open to a user, a transition's input, tasks."""

from django.contrib.auth.models import User
from rest_framework import serializers

from api.serializers.fields import DateField, DateTimeField, IdField
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from references.models import Contact
from workflows.models import Task
from workflows.querysets import participants_for, request_managers


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    needs = serializers.CharField()
    target = serializers.CharField()
    note_required = serializers.BooleanField()


class TransitionInputSerializer(serializers.Serializer):
    """What a transition may take; the workflow service validates every value.

    The ids name objects through the scope of the request acted on (`context["ref_request"]`):
    an assignee is an active reference manager, a participant someone at the account of the
    request's chosen contact (`workflows.querysets`); the guard checks the same under lock.
    """

    action = serializers.CharField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)
    expected_status = serializers.CharField(required=False, allow_blank=True, max_length=20)
    contact = IdField(required=False)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX_LENGTH)
    scheduled_for = DateTimeField(required=False)
    # Confirms a time after the needed-by date or the deal's close (otherwise a 400 asks for it).
    schedule_anyway = serializers.BooleanField(required=False)
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False)
    occurred_on = DateField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=1440)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(), many=True, required=False, allow_empty=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = request_managers()
        ref_request = self.context.get("ref_request")
        self.fields["participants"].child_relation.queryset = (
            participants_for(ref_request) if ref_request is not None else Contact.objects.none()
        )


class RequestStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    assigned_manager_id = serializers.IntegerField(allow_null=True)
    chosen_contact_id = serializers.IntegerField(allow_null=True)
    scheduled_for = serializers.DateTimeField(allow_null=True)


class TaskSerializer(serializers.ModelSerializer):
    request_id = serializers.IntegerField(allow_null=True)
    nomination_id = serializers.IntegerField(allow_null=True)
    activity_type = serializers.CharField(source="request.activity_type.code", allow_null=True, default=None)
    assignee_id = serializers.IntegerField(allow_null=True)
    is_late = serializers.BooleanField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "request_id",
            "nomination_id",
            "activity_type",
            "assignee_id",
            "assignee_role",
            "due_at",
            "is_late",
            "escalated_at",
        ]
