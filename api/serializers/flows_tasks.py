"""JSON shape of one task (`/api/tasks/<id>/`): the list's row and where it stands."""

from rest_framework import serializers

from api.serializers.workflows import TaskSerializer


class TaskDetailSerializer(TaskSerializer):
    kind = serializers.SerializerMethodField(help_text="What the task is for: `request` or `nomination`.")
    status_label = serializers.CharField(source="get_status_display")

    class Meta(TaskSerializer.Meta):
        fields = [
            *TaskSerializer.Meta.fields,
            "kind",
            "status",
            "status_label",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_kind(self, task) -> str:
        return "request" if task.request_id else "nomination"
