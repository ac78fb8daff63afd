"""Tasks through the API: the filters of My tasks (`/api/tasks/`) and one task
(`/api/tasks/<id>/`) — every task `Task.objects.visible_to(user)` lets the user see (managers:
all; anyone else theirs and their role queues' unassigned ones), 404 for any other."""

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import generics

from api.permissions import StaffRole
from api.serializers.flows_tasks import TaskDetailSerializer
from api.views.flows_base import IdFilter, fake_view, sane_datetime_filter
from workflows.models import Task
from workflows.selectors import task_rows
from workflows.statuses import StepRole

KINDS = [("request", "For a request"), ("nomination", "For a nomination")]


class TaskFilter(django_filters.FilterSet):
    due_before = sane_datetime_filter("due_at", "lte")
    due_after = sane_datetime_filter("due_at", "gte")
    request = IdFilter(field_name="request_id")
    nomination = IdFilter(field_name="nomination_id")
    kind = django_filters.ChoiceFilter(choices=KINDS, method="filter_kind", label="What the task is for")
    role = django_filters.MultipleChoiceFilter(
        field_name="assignee_role", choices=StepRole.choices, label="The role queue"
    )
    late = django_filters.BooleanFilter(method="filter_late", label="Only late (true) or on time (false)")

    class Meta:
        model = Task
        fields = ["request", "nomination"]

    def filter_kind(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(request__isnull=(value != "request"))

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(is_overdue=True) | Q(due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class TaskDetail(generics.RetrieveAPIView):
    """One task you may see (yours, your role queues' unassigned ones; every task for managers)."""

    permission_classes = [StaffRole]
    serializer_class = TaskDetailSerializer

    def get_queryset(self):
        if fake_view(self):
            return Task.objects.none()
        return task_rows().filter(pk__in=Task.objects.visible_to(self.request.user).values("pk"))

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
