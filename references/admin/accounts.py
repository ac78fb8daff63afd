"""Admin of customer accounts: the account form with its contacts, notes and status history.

Accounts, their contacts and notes are written through references.services (see `saving.py`), so
every new contact gets their participation preferences.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.db.models.functions import Upper

from core.admin_actions import export_as_csv
from core.expressions import count_of
from references import services
from references.admin.saving import SavedByServiceMixin, adopt, form_values, save_inline
from references.admin.search import as_phrase, is_search
from references.admin.status import ReferenceStatusAdminMixin, StatusChangeInline
from references.admin.visibility import VisibleToUserMixin
from references.models import Account, AccountNote, Contact, Product


class ContactInline(VisibleToUserMixin, admin.TabularInline):
    model = Contact
    contact_details = ""
    fields = ["first_name", "last_name", "title", "persona", "email", "phone", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["persona"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("persona")


class AccountNoteInline(VisibleToUserMixin, admin.StackedInline):
    model = AccountNote
    fields = ["kind", "body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Account)
class AccountAdmin(VisibleToUserMixin, SavedByServiceMixin, ReferenceStatusAdminMixin, admin.ModelAdmin):
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
    # An indexed lookup (references.admin.search); the text typed is one phrase. Not the owner:
    # an OR with one of a few dozen owners' thousands of accounts would have PostgreSQL scan.
    search_fields = ["^name"]
    search_help_text = 'The start of the account\'s name, as typed ("globex co"), in any case.'
    autocomplete_fields = [
        "industry",
        "size_band",
        "country",
        "products",
        "use_cases",
        "competitors_displaced",
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

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, as_phrase(search_term))

    def get_ordering(self, request):
        # Matches in the order of their names, but not by the name index: with it PostgreSQL would
        # read the names from "A" up to the prefix's own (52 ms for "Oakl" at 100,000 accounts)
        # rather than the few matches from the prefix index and sort them.
        return [Upper("name")] if is_search(request) else super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        # An existing account changes owner on the manager's account page, which hands the open
        # approvals of its requests to the new owner (workflows.owners); the admin cannot do that.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "owner"] if obj is not None else fields

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

    def save_model(self, request, obj, form, change):
        values = form_values(form, services.AccountFields)
        if change:
            services.account_update(account=obj, **values)
        else:
            adopt(obj, services.account_create(**values))

    def save_formset(self, request, form, formset, change):
        account = form.instance
        if formset.model is Contact:
            save_inline(
                formset,
                fields=services.ContactFields,
                create=lambda values: services.contact_create(account=account, **values),
                update=lambda contact, values: services.contact_update(contact=contact, **values),
            )
        elif formset.model is AccountNote:
            save_inline(
                formset,
                fields=services.NoteFields,
                create=lambda values: services.account_note_create(
                    account=account, author=request.user, **values
                ),
                update=lambda note, values: services.account_note_update(
                    note=note, **values, **_signed(note, request.user)
                ),
            )
        else:
            super().save_formset(request, form, formset, change)

    def change_status_one(self, obj, **data):
        return services.account_change_status(account=obj, **data)

    def change_status_many(self, queryset, **data):
        return services.account_bulk_change_status(accounts=queryset, **data)


@admin.register(AccountNote)
class AccountNoteAdmin(VisibleToUserMixin, SavedByServiceMixin, admin.ModelAdmin):
    list_display = ["account", "kind", "author", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["account", "author"]
    search_fields = ["body", "account__name"]
    autocomplete_fields = ["account"]
    readonly_fields = ["created_at"]
    actions = [export_as_csv]

    def save_model(self, request, obj, form, change):
        values = form_values(form, services.NoteFields)
        values["author"] = values.get("author") or request.user
        if change:
            services.account_note_update(note=obj, **values)
        else:
            adopt(obj, services.account_note_create(**values))


def _signed(note: AccountNote, user) -> dict:
    """A note written or edited in the admin is signed by the administrator, unless it already is."""
    return {"author": user} if note.author_id is None else {}
