"""Admin of prospects' deals, currency rates to compare them, and the reference activities done."""

from django.contrib import admin

from core.admin_actions import export_as_csv
from core.expressions import count_of
from references.admin.visibility import VisibleToUserMixin
from references.models import CurrencyRate, Opportunity, ReferenceActivity

# The link table between activities and the deals they served.
ActivityDeal = ReferenceActivity.opportunities.through


@admin.register(CurrencyRate)
class CurrencyRateAdmin(admin.ModelAdmin):
    """Rates to compare deal sizes across currencies; edited in the list."""

    list_display = ["currency", "per_usd", "updated_at"]
    list_editable = ["per_usd"]
    search_fields = ["currency"]


@admin.register(Opportunity)
class OpportunityAdmin(VisibleToUserMixin, admin.ModelAdmin):
    list_display = [
        "prospect_name",
        "external_id",
        "industry",
        "country",
        "amount",
        "currency",
        "stage",
        "close_date",
        "outcome",
        "owner",
        "activity_count",
    ]
    list_filter = ["outcome", "stage", "country__region", "industry", "close_date"]
    list_select_related = ["industry", "country", "owner"]
    search_fields = ["prospect_name", "external_id", "owner__username", "owner__last_name"]
    autocomplete_fields = ["industry", "country", "size_band", "products"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "close_date"
    actions = [export_as_csv]
    csv_fields = [
        "id",
        "external_id",
        "prospect_name",
        "industry",
        "country",
        "size_band",
        "products",
        "amount",
        "currency",
        "stage",
        "close_date",
        "outcome",
        "owner",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(activity_count=count_of(ReferenceActivity.opportunities.through, "opportunity"))
        )

    @admin.display(description="Activities", ordering="activity_count")
    def activity_count(self, obj: Opportunity) -> int:
        return obj.activity_count


@admin.register(ReferenceActivity)
class ReferenceActivityAdmin(VisibleToUserMixin, admin.ModelAdmin):
    list_display = ["occurred_on", "activity_type", "contact", "account", "opportunity_count", "recorded_by"]
    list_filter = ["activity_type", "occurred_on", "account__country__region"]
    list_select_related = ["activity_type", "contact", "account", "recorded_by"]
    search_fields = ["contact__first_name", "contact__last_name", "account__name", "notes"]
    autocomplete_fields = ["contact", "activity_type", "opportunities"]
    # The account is always the contact's: it is copied on save, never chosen.
    readonly_fields = ["account", "created_at"]
    # A million rows: no date hierarchy (it scans the table) and no second, unfiltered COUNT(*).
    show_full_result_count = False
    actions = [export_as_csv]
    csv_fields = [
        "id",
        "occurred_on",
        "activity_type",
        "contact",
        "account",
        "duration_minutes",
        "opportunities",
        "notes",
        "recorded_by",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(opportunity_count=count_of(ActivityDeal, "referenceactivity"))
        )

    @admin.display(description="Deals served", ordering="opportunity_count")
    def opportunity_count(self, obj: ReferenceActivity) -> int:
        return obj.opportunity_count

    def save_model(self, request, obj, form, change):
        obj.account_id = obj.contact.account_id
        obj.recorded_by = obj.recorded_by or request.user
        super().save_model(request, obj, form, change)
