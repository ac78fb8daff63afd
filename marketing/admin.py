"""Admin for the content library, for administrators: assets are read-mostly (created and moved
in /content/, through the approval workflow), their history inline and read-only; permissions are
recorded in /content/permissions/ (the admin shows them read-only, so every change keeps its
history); uses and permission changes are the record."""

from django.contrib import admin

from core.admin_actions import ReadOnlyAdminMixin
from marketing.models import AccountPermission, Asset, AssetEvent, AssetUse, PermissionChange


class AssetEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AssetEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """Read-mostly: the title and summary may be corrected here; everything else is the portal's
    (the file's checks, the workflow's statuses and events)."""

    list_display = ["title", "kind", "status", "usage_rights", "owner", "review_by", "updated_at"]
    list_filter = ["status", "kind", "usage_rights"]
    list_select_related = ["owner"]
    search_fields = ["title"]
    date_hierarchy = "updated_at"
    fields = [
        "title",
        "summary",
        "kind",
        "status",
        "usage_rights",
        "owner",
        "quote_text",
        "link_url",
        "file",
        "file_name",
        "file_content_type",
        "file_size",
        "review_by",
        "published_at",
        "accounts",
        "contacts",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [f for f in fields if f not in ("title", "summary")]
    inlines = [AssetEventInline]

    def has_add_permission(self, request, obj=None):
        return False  # made in /content/assets/new/, where its file is checked

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn through the workflow, never deleted


@admin.register(AccountPermission)
class AccountPermissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "kind", "state", "expires_on", "recorded_by", "updated_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["account", "recorded_by"]
    search_fields = ["account__name"]


@admin.register(PermissionChange)
class PermissionChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "kind", "from_state", "to_state", "expires_on", "actor", "created_at"]
    list_filter = ["kind", "to_state"]
    list_select_related = ["account", "actor"]
    search_fields = ["account__name"]


@admin.register(AssetUse)
class AssetUseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["asset", "used_by", "opportunity", "campaign", "how", "used_at"]
    list_filter = ["how"]
    list_select_related = ["asset", "used_by", "opportunity"]
    search_fields = ["asset__title", "campaign"]
