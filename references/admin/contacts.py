"""Admin of contacts: the contact form with preferences, blackout dates and status history.

Contacts and their preferences are written through references.services (see `saving.py`): a new
contact always gets preferences, whether or not the administrator filled in the inline.
"""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone

from core.admin_actions import export_as_csv
from references import services
from references.admin.consent import ConsentEntryInline
from references.admin.saving import SavedByServiceMixin, adopt, form_values, save_inline
from references.admin.search import register_starts
from references.admin.status import ReferenceStatusAdminMixin, StatusChangeInline
from references.admin.visibility import VisibleToUserMixin
from references.models import ActivityType, BlackoutPeriod, Contact, ParticipationPreferences

register_starts(Contact._meta.get_field("account"), "name")


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
            "paused_until",
            "topics_to_avoid",
        ]

    def clean(self):
        cleaned = super().clean()
        # The database requires an opt-out time, and the form checks the database's constraints:
        # an administrator ticking the box without a time means "now" (as preferences_update does).
        if cleaned.get("opted_out") and not cleaned.get("opted_out_at"):
            cleaned["opted_out_at"] = timezone.now()
        return cleaned


class PreferencesInline(VisibleToUserMixin, admin.StackedInline):
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


class BlackoutInline(VisibleToUserMixin, admin.TabularInline):
    model = BlackoutPeriod
    form = BlackoutForm
    extra = 0


@admin.register(Contact)
class ContactAdmin(VisibleToUserMixin, SavedByServiceMixin, ReferenceStatusAdminMixin, admin.ModelAdmin):
    contact_details = ""
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
    # Indexed lookups only (references.admin.search); each word typed must match one of them.
    search_fields = ["^first_name", "^last_name", "=email", "account__starts"]
    search_help_text = (
        'Each word: the start of a first or last name or of the account\'s name ("jane smi"), '
        "or a whole email address."
    )
    autocomplete_fields = ["account", "persona"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PreferencesInline, BlackoutInline, StatusChangeInline, ConsentEntryInline]
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

    def save_model(self, request, obj, form, change):
        values = form_values(form, services.ContactFields)
        account = form.cleaned_data["account"]
        by_admin = services.ConsentSource.admin(request.user)
        if change:
            services.contact_update(contact=obj, account=account, consent=by_admin, **values)
        else:
            adopt(obj, services.contact_create(account=account, consent=by_admin, **values))

    def save_formset(self, request, form, formset, change):
        if formset.model is not ParticipationPreferences:
            return super().save_formset(request, form, formset, change)
        # The preferences exist already (contact_create made them): the inline's form, new or
        # not, changes them.
        contact = form.instance
        by_admin = services.ConsentSource.admin(request.user)
        save_inline(
            formset,
            fields=services.PreferenceFields,
            create=lambda values: services.preferences_update(contact=contact, consent=by_admin, **values),
            update=lambda _preferences, values: services.preferences_update(
                contact=contact, consent=by_admin, **values
            ),
        )

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
class ParticipationPreferencesAdmin(VisibleToUserMixin, SavedByServiceMixin, admin.ModelAdmin):
    contact_details = "contact__"
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

    def get_readonly_fields(self, request, obj=None):
        # Preferences stay with their contact: moving them would leave the contact without any.
        return [*super().get_readonly_fields(request, obj), *(["contact"] if obj else [])]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("activity_types")

    def save_model(self, request, obj, form, change):
        values = form_values(form, services.PreferenceFields)
        contact = obj.contact if change else form.cleaned_data["contact"]
        saved = services.preferences_update(
            contact=contact, consent=services.ConsentSource.admin(request.user), **values
        )
        if not change:
            adopt(obj, saved)

    @admin.display(description="Willing to do")
    def activity_type_names(self, obj: ParticipationPreferences) -> str:
        return ", ".join(activity_type.name for activity_type in obj.activity_types.all())


@admin.register(BlackoutPeriod)
class BlackoutPeriodAdmin(VisibleToUserMixin, admin.ModelAdmin):
    form = BlackoutForm
    list_display = ["contact", "start", "end", "reason"]
    list_filter = ["start"]
    list_select_related = ["contact"]
    search_fields = ["contact__first_name", "contact__last_name", "reason"]
    autocomplete_fields = ["contact"]
    date_hierarchy = "start"
