"""The consent ledger in the admin: read-only, as everywhere (references/models/consent.py)."""

from django.contrib import admin

from core.admin_actions import ReadOnlyAdminMixin, export_as_csv
from references.admin.visibility import VisibleToUserMixin
from references.models import ConsentEntry


class ConsentEntryInline(VisibleToUserMixin, ReadOnlyAdminMixin, admin.TabularInline):
    """A contact's consents, newest first; never edited."""

    model = ConsentEntry
    fields = ["recorded_at", "subject", "activity_type", "given", "method", "wording_version", "recorded_by"]
    readonly_fields = fields
    extra = 0
    ordering = ["-recorded_at", "-id"]
    verbose_name_plural = "consent ledger"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity_type", "recorded_by")


@admin.register(ConsentEntry)
class ConsentEntryAdmin(VisibleToUserMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger: readable and exportable, never added, edited or deleted by hand."""

    contact_details = "contact__"
    list_display = [
        "recorded_at",
        "contact",
        "subject",
        "activity_type",
        "given",
        "method",
        "wording_version",
    ]
    list_filter = ["subject", "given", "method", "activity_type"]
    list_select_related = ["contact", "activity_type", "recorded_by"]
    search_fields = ["^contact__first_name", "^contact__last_name", "=contact__email"]
    actions = [export_as_csv]
    csv_fields = [
        "id",
        "contact",
        "subject",
        "activity_type",
        "given",
        "recorded_at",
        "method",
        "wording_version",
    ]
    show_full_result_count = False
