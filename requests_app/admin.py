"""Django admin for reference requests.

A request's status belongs to the workflow service (workflows.services): the admin shows it but never
edits it, and requests are not added here, because submitting one must also write its first
timeline event and open its tasks. The timeline (RequestEvent) is read-only everywhere.
"""

from django.contrib import admin

from core.admin_actions import ReadOnlyAdminMixin, export_as_csv
from core.expressions import count_of
from requests_app.models import (
    Nomination,
    ReferenceRequest,
    RequestCandidate,
    RequestEvent,
    RequestFeedback,
)


class CandidateInline(admin.TabularInline):
    model = RequestCandidate
    fields = ["preference", "contact"]
    autocomplete_fields = ["contact"]
    ordering = ["preference"]
    extra = 0
    max_num = 3

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact")


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "actor_contact", "note"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = "timeline"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "actor_contact")


@admin.register(ReferenceRequest)
class ReferenceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "activity_type",
        "opportunity",
        "campaign",
        "requester",
        "needed_by",
        "status",
        "assigned_manager",
        "chosen_contact",
        "candidate_count",
        "created_at",
    ]
    list_filter = ["status", "activity_type", "needed_by", "created_at"]
    list_select_related = ["activity_type", "opportunity", "requester", "assigned_manager", "chosen_contact"]
    search_fields = [
        "=id",
        "campaign",
        "notes",
        "opportunity__prospect_name",
        "opportunity__external_id",
        "requester__username",
        "requester__last_name",
    ]
    autocomplete_fields = [
        "requester",
        "opportunity",
        "activity_type",
        "prospect_contact_role",
        "assigned_manager",
    ]
    readonly_fields = [
        "status",
        "resume_status",
        "chosen_contact",
        "status_changed_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["status", "resume_status", "status_changed_at", "chosen_contact"]}),
        (
            "Request",
            {
                "fields": [
                    "requester",
                    "activity_type",
                    "opportunity",
                    "campaign",
                    "needed_by",
                    "prospect_contact_role",
                    "notes",
                ]
            },
        ),
        ("Handling", {"fields": ["assigned_manager", "scheduled_for"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    date_hierarchy = "needed_by"
    inlines = [CandidateInline, EventInline]
    actions = [export_as_csv]
    csv_fields = [
        "id",
        "status",
        "activity_type",
        "opportunity",
        "campaign",
        "requester",
        "needed_by",
        "assigned_manager",
        "chosen_contact",
        "scheduled_for",
        "created_at",
        "status_changed_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(candidate_count=count_of(RequestCandidate, "request"))

    @admin.display(description="Candidates", ordering="candidate_count")
    def candidate_count(self, obj: ReferenceRequest) -> int:
        return obj.candidate_count

    def has_add_permission(self, request):
        return False


@admin.register(RequestCandidate)
class RequestCandidateAdmin(admin.ModelAdmin):
    list_display = ["request", "preference", "contact", "contact__account"]
    list_filter = ["preference", "request__status"]
    list_select_related = ["request", "contact__account"]
    search_fields = ["=request__id", "contact__first_name", "contact__last_name", "contact__account__name"]
    autocomplete_fields = ["request", "contact"]


@admin.register(RequestEvent)
class RequestEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "request", "action", "from_status", "to_status", "actor", "actor_contact"]
    list_filter = ["action", "to_status", "created_at"]
    list_select_related = ["request", "actor", "actor_contact"]
    search_fields = ["=request__id", "action", "note", "actor__username"]
    show_full_result_count = False  # the timeline grows fastest: spare a second COUNT(*)
    actions = [export_as_csv]


@admin.register(RequestFeedback)
class RequestFeedbackAdmin(admin.ModelAdmin):
    list_display = ["request", "took_place", "helpfulness", "would_use_again", "submitted_by", "submitted_at"]
    list_filter = ["took_place", "helpfulness", "would_use_again"]
    list_select_related = ["request", "submitted_by"]
    search_fields = ["=request__id", "outcome_note"]
    autocomplete_fields = ["request", "submitted_by"]
    readonly_fields = ["submitted_at"]
    actions = [export_as_csv]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "account",
        "contact",
        "contact_name",
        "nominated_by",
        "source",
        "status",
        "created_at",
    ]
    list_filter = ["status", "source", "created_at"]
    list_select_related = ["account", "contact", "nominated_by"]
    search_fields = ["account__name", "contact__last_name", "contact_name", "contact_email", "reason"]
    autocomplete_fields = ["nominated_by", "account", "contact", "activity_types"]
    # Its moves and decisions are made in /manage/nominations/ (workflows.nominations), never here.
    readonly_fields = [
        "status",
        "source",
        "owner_consent",
        "owner_consent_by",
        "owner_consent_at",
        "owner_consent_note",
        "decision_note",
        "decided_by",
        "decided_at",
        "consent_text",
        "consented_at",
        "created_at",
        "updated_at",
    ]
    actions = [export_as_csv]
