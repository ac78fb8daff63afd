"""Admin for burnout limits: the program's defaults (one row) and stricter rules are edited here;
usage, overrides and runs are the record and read-only."""

from django.contrib import admin
from django.http import HttpRequest

from core.admin_actions import ReadOnlyAdminMixin
from limits.models import ContactUsage, LimitOverride, LimitPolicy, LimitRule, LimitRun


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows written only by the system (runs, history): visible, never edited by hand."""


@admin.register(LimitPolicy)
class LimitPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "renewal_exclusion_days",
        "exclude_open_escalations",
        "exclude_at_risk",
        "near_limit_slots",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the one row comes with the migrations; it is edited, never added

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(LimitRule)
class LimitRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contact_max", "account_max", "rest_days", "reason", "created_at"]
    list_filter = ["activity_type"]
    list_select_related = ["account", "contact", "activity_type"]
    autocomplete_fields = ["account", "contact"]
    search_fields = ["account__name", "contact__last_name", "contact__email", "reason"]


@admin.register(ContactUsage)
class ContactUsageAdmin(ReadOnlyAdmin):
    list_display = ["contact", "used", "slots_left", "last_used_on", "available_from", "state", "limit_code"]
    list_filter = ["state", "limit_code", "rested_by_job"]
    list_select_related = ["contact"]
    search_fields = ["contact__last_name", "contact__email"]


@admin.register(LimitOverride)
class LimitOverrideAdmin(ReadOnlyAdmin):
    list_display = ["contact", "limit", "request", "actor", "created_at"]
    list_filter = ["limit"]
    list_select_related = ["contact", "request", "actor"]
    search_fields = ["contact__last_name", "reason"]
    date_hierarchy = "created_at"


@admin.register(LimitRun)
class LimitRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "reached", "freed", "near", "rested", "reactivated"]
    date_hierarchy = "ran_at"
