"""Django admin for workflows: templates and their steps are edited here; tasks, events and
notices are shown read-only, because they change only through workflows.services (which writes
the request's history). A request's status is never editable in the admin."""

from django.contrib import admin
from django.db.models import Count

from core.admin_actions import ReadOnlyAdminMixin
from workflows.models import Event, EventNotice, StaffCalendar, Task, WorkflowStep, WorkflowTemplate


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows written only by the system (runs, history): visible, never edited by hand."""


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    fields = ["order", "name", "role", "request_status", "sla_amount", "sla_unit", "is_approval"]
    ordering = ["order"]
    extra = 0


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "activity_type", "is_active", "step_count"]
    list_filter = ["is_active"]
    list_select_related = ["activity_type"]
    search_fields = ["name", "activity_type__name"]
    inlines = [WorkflowStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    @admin.display(description="steps", ordering="step_total")
    def step_count(self, obj: WorkflowTemplate) -> int:
        return obj.step_total


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "request",
        "assignee",
        "assignee_role",
        "status",
        "due_at",
        "is_overdue",
        "escalated_at",
    ]
    list_filter = ["status", "assignee_role", "is_overdue"]
    list_select_related = ["request", "assignee"]
    search_fields = ["title", "=request__id", "assignee__username"]
    date_hierarchy = "due_at"


@admin.register(EventNotice)
class EventNoticeAdmin(ReadOnlyAdmin):
    list_display = ["kind", "event", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["event"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "activity_type", "occurred_on", "recorded_by"]
    list_select_related = ["activity_type", "recorded_by"]
    search_fields = ["title"]


@admin.register(StaffCalendar)
class StaffCalendarAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "time_zone"]
    list_select_related = ["user", "country"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__last_name"]
