"""Django admin for the reference catalogue.

Changelists load their foreign keys with `list_select_related` and their many-to-many columns with
one prefetch or annotation, so a page costs the same number of queries however many rows it shows.
A reference status is never edited as a field: it changes only through the "Change status" action
or button, which asks for a reason and calls references.services, so every change is in the history.
"""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone

from core.admin_actions import ReadOnlyAdminMixin, count_of, export_as_csv
from references import services
from references.admin_status import ReferenceStatusAdminMixin, StatusChangeInline
from references.models import (
    Account,
    AccountNote,
    ActivityType,
    BlackoutPeriod,
    Competitor,
    Contact,
    Country,
    CurrencyRate,
    Industry,
    Opportunity,
    ParticipationPreferences,
    Persona,
    Product,
    ReferenceActivity,
    Region,
    SizeBand,
    StatusChange,
    UseCase,
)

# The link table between activities and the deals they served.
ActivityDeal = ReferenceActivity.opportunities.through

# --- Taxonomies -----------------------------------------------------------------------------


class TaxonomyAdmin(admin.ModelAdmin):
    """An editable lookup list; search_fields also serve the autocomplete widgets that point here."""

    list_display = ["name", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Product, UseCase, Competitor)
class PlainTaxonomyAdmin(TaxonomyAdmin):
    pass


@admin.register(Industry)
class IndustryAdmin(TaxonomyAdmin):
    list_display = ["name", "naics_code", "is_active", "sort_order"]
    search_fields = ["name", "naics_code"]


@admin.register(Region)
class RegionAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "is_active", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "region", "is_active", "sort_order"]
    list_filter = ["region", "is_active"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]


@admin.register(SizeBand)
class SizeBandAdmin(TaxonomyAdmin):
    list_display = ["name", "min_employees", "max_employees", "is_active", "sort_order"]


@admin.register(Persona)
class PersonaAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "is_active", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(ActivityType)
class ActivityTypeAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "counts_toward_limits", "is_one_to_many", "is_active", "sort_order"]
    list_filter = ["counts_toward_limits", "is_one_to_many", "is_active"]
    search_fields = ["name", "code"]


# --- Accounts -------------------------------------------------------------------------------


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["first_name", "last_name", "title", "persona", "email", "phone", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["persona"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("persona")


class AccountNoteInline(admin.StackedInline):
    model = AccountNote
    fields = ["kind", "body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Account)
class AccountAdmin(ReferenceStatusAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "status",
        "industry",
        "country",
        "country__region",
        "size_band",
        "product_names",
        "contact_count",
        "nps",
        "at_risk",
        "renewal_date",
        "owner",
    ]
    list_filter = ["status", "at_risk", "country__region", "industry", "size_band", "products"]
    list_select_related = ["industry", "country__region", "size_band", "owner"]
    show_full_result_count = False  # one COUNT(*) per page is enough
    search_fields = ["name", "owner__username", "owner__last_name"]
    autocomplete_fields = [
        "industry",
        "size_band",
        "country",
        "products",
        "use_cases",
        "competitors_displaced",
        "owner",
        "stewards",
    ]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "status", "owner", "stewards", "reference_story"]}),
        ("Profile", {"fields": ["industry", "size_band", "country", "customer_since"]}),
        ("Products", {"fields": ["products", "use_cases", "competitors_displaced"]}),
        ("Contract", {"fields": ["annual_contract_value", "currency", "renewal_date"]}),
        ("Health", {"fields": ["nps", "open_escalations", "at_risk"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ContactInline, AccountNoteInline, StatusChangeInline]
    actions = ["change_status", export_as_csv]
    csv_fields = [
        "id",
        "name",
        "status",
        "industry",
        "size_band",
        "country",
        "products",
        "use_cases",
        "competitors_displaced",
        "customer_since",
        "annual_contract_value",
        "currency",
        "nps",
        "open_escalations",
        "renewal_date",
        "at_risk",
        "owner",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(contact_count=count_of(Contact, "account"))
            .prefetch_related(Prefetch("products", queryset=Product.objects.only("name")))
        )

    @admin.display(description="Products")
    def product_names(self, obj: Account) -> str:
        return ", ".join(product.name for product in obj.products.all())

    @admin.display(description="Contacts", ordering="contact_count")
    def contact_count(self, obj: Account) -> int:
        return obj.contact_count

    def save_formset(self, request, form, formset, change):
        # A note written here is signed by the administrator who wrote it.
        if formset.model is AccountNote:
            for note_form in formset.forms:
                if note_form.instance.author_id is None:
                    note_form.instance.author = request.user
        super().save_formset(request, form, formset, change)
        if formset.model is Contact:
            new_preferences = [ParticipationPreferences(contact=contact) for contact in formset.new_objects]
            ParticipationPreferences.objects.bulk_create(new_preferences)

    def change_status_one(self, obj, **data):
        return services.account_change_status(account=obj, **data)

    def change_status_many(self, queryset, **data):
        return services.account_bulk_change_status(accounts=queryset, **data)


@admin.register(AccountNote)
class AccountNoteAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "author", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["account", "author"]
    search_fields = ["body", "account__name"]
    autocomplete_fields = ["account", "author"]
    readonly_fields = ["created_at"]
    actions = [export_as_csv]

    def save_model(self, request, obj, form, change):
        obj.author = obj.author or request.user
        super().save_model(request, obj, form, change)


# --- Contacts -------------------------------------------------------------------------------


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = ParticipationPreferences
        fields = [
            "contact",
            "activity_types",
            "own_cap_per_quarter",
            "preferred_channel",
            "wants_in_return",
            "consent_given_at",
            "opted_out",
            "opted_out_at",
            "paused_by_contact",
        ]

    def clean(self):
        cleaned = super().clean()
        # The database requires an opt-out time; an administrator ticking the box means "now".
        if cleaned.get("opted_out") and not cleaned.get("opted_out_at"):
            cleaned["opted_out_at"] = timezone.now()
        return cleaned


class PreferencesInline(admin.StackedInline):
    model = ParticipationPreferences
    form = PreferencesForm
    autocomplete_fields = ["activity_types"]
    readonly_fields = ["updated_at"]
    can_delete = False
    max_num = 1
    extra = 1


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = BlackoutPeriod
        fields = ["contact", "start", "end", "reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        return cleaned


class BlackoutInline(admin.TabularInline):
    model = BlackoutPeriod
    form = BlackoutForm
    extra = 0


@admin.register(Contact)
class ContactAdmin(ReferenceStatusAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "account",
        "title",
        "persona",
        "status",
        "email",
        "phone",
        "language",
        "opted_out",
        "activity_type_names",
    ]
    list_filter = ["status", "persona", "preferences__opted_out", "account__country__region", "language"]
    list_select_related = ["account", "persona", "preferences"]
    show_full_result_count = False  # hundreds of thousands of rows: one COUNT(*) per page is enough
    search_fields = ["first_name", "last_name", "email", "account__name"]
    autocomplete_fields = ["account", "persona"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PreferencesInline, BlackoutInline, StatusChangeInline]
    actions = ["change_status", export_as_csv]
    csv_fields = [
        "id",
        "first_name",
        "last_name",
        "title",
        "account",
        "persona",
        "email",
        "phone",
        "language",
        "time_zone",
        "status",
    ]

    def get_queryset(self, request):
        willing = ActivityType.objects.only("name").order_by("sort_order", "name")
        prefetch = Prefetch("preferences__activity_types", queryset=willing)
        return super().get_queryset(request).prefetch_related(prefetch)

    @admin.display(description="Opted out", boolean=True, ordering="preferences__opted_out")
    def opted_out(self, obj: Contact) -> bool | None:
        preferences = _preferences(obj)
        return None if preferences is None else preferences.opted_out

    @admin.display(description="Willing to do")
    def activity_type_names(self, obj: Contact) -> str:
        preferences = _preferences(obj)
        if preferences is None:
            return "—"
        return ", ".join(activity_type.name for activity_type in preferences.activity_types.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Every contact has preferences, even when the administrator left the inline untouched.
        ParticipationPreferences.objects.get_or_create(contact=form.instance)

    def change_status_one(self, obj, **data):
        return services.contact_change_status(contact=obj, **data)

    def change_status_many(self, queryset, **data):
        return services.contact_bulk_change_status(contacts=queryset, **data)


def _preferences(contact: Contact) -> ParticipationPreferences | None:
    try:
        return contact.preferences
    except ParticipationPreferences.DoesNotExist:
        return None


@admin.register(ParticipationPreferences)
class ParticipationPreferencesAdmin(admin.ModelAdmin):
    form = PreferencesForm
    list_display = [
        "contact",
        "preferred_channel",
        "own_cap_per_quarter",
        "opted_out",
        "paused_by_contact",
        "consent_given_at",
        "activity_type_names",
    ]
    list_filter = ["preferred_channel", "opted_out", "paused_by_contact", "activity_types"]
    list_select_related = ["contact"]
    search_fields = ["contact__first_name", "contact__last_name", "contact__email"]
    autocomplete_fields = ["contact", "activity_types"]
    readonly_fields = ["updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("activity_types")

    @admin.display(description="Willing to do")
    def activity_type_names(self, obj: ParticipationPreferences) -> str:
        return ", ".join(activity_type.name for activity_type in obj.activity_types.all())


@admin.register(BlackoutPeriod)
class BlackoutPeriodAdmin(admin.ModelAdmin):
    form = BlackoutForm
    list_display = ["contact", "start", "end", "reason"]
    list_filter = ["start"]
    list_select_related = ["contact"]
    search_fields = ["contact__first_name", "contact__last_name", "reason"]
    autocomplete_fields = ["contact"]
    date_hierarchy = "start"


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The status history: readable and exportable, never added, edited or deleted by hand."""

    list_display = ["changed_at", "account", "contact", "from_status", "to_status", "changed_by", "reason"]
    list_filter = ["to_status", "from_status", "changed_at"]
    list_select_related = ["account", "contact", "changed_by"]
    search_fields = ["reason", "account__name", "contact__first_name", "contact__last_name"]
    show_full_result_count = False
    actions = [export_as_csv]


# --- Deals and activities -------------------------------------------------------------------


@admin.register(CurrencyRate)
class CurrencyRateAdmin(admin.ModelAdmin):
    """Rates to compare deal sizes across currencies; edited in the list."""

    list_display = ["currency", "per_usd", "updated_at"]
    list_editable = ["per_usd"]
    search_fields = ["currency"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["industry", "country", "size_band", "products", "owner", "team"]
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
class ReferenceActivityAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "activity_type", "contact", "account", "opportunity_count", "recorded_by"]
    list_filter = ["activity_type", "occurred_on", "account__country__region"]
    list_select_related = ["activity_type", "contact", "account", "recorded_by"]
    search_fields = ["contact__first_name", "contact__last_name", "account__name", "notes"]
    autocomplete_fields = ["contact", "activity_type", "opportunities", "recorded_by"]
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
