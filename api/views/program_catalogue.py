"""`/api/accounts/` and `/api/contacts/`: the catalogue, read-only, for program staff.

Rows start from `Account.objects.visible_to` and `Contact.objects.visible_to` (every role of the
program sees the catalogue's rows, as search and nominations show them); what each field shows
is the serializers' (`api.serializers.program_catalogue`), by `references.visibility`. The
filters take the portal's facet names and ids (`matching.facets`: industry, product, use_case,
region, country, size); the CRM writes through /api/crm/, never here.
"""

from datetime import date

import django_filters
from django.db.models import Case, CharField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from rest_framework import generics

from api.permissions import StaffRole
from api.serializers.program_catalogue import AccountSerializer, ContactSerializer
from api.views.program_common import FILTER_BACKENDS, IdsFilter, ProgramPages, WordsFilter
from core.expressions import count_of
from references.models import Account, BlackoutPeriod, Contact
from references.statuses import ReferenceStatus
from references.visibility import CONTACT_DETAIL_FIELDS, runs_the_program, sees_contact_details
from requests_app.selectors import contacts_released_to

# "Customer since" unknown sorts last (first when descending): the cursor needs a value.
UNKNOWN_SINCE = date(9999, 12, 31)


class AccountFilter(django_filters.FilterSet):
    q = WordsFilter(field_name="name", label="Words in the account's name")
    external_id = django_filters.CharFilter(max_length=64, label="The account's id in the CRM")
    status = django_filters.MultipleChoiceFilter(choices=ReferenceStatus.choices)
    industry = IdsFilter(field_name="industry_id")
    product = IdsFilter(field_name="products", distinct=True)
    use_case = IdsFilter(field_name="use_cases", distinct=True)
    region = IdsFilter(field_name="country__region_id")
    country = IdsFilter(field_name="country_id")
    size = IdsFilter(field_name="size_band_id", label="Company size band")

    class Meta:
        model = Account
        fields = [
            "q",
            "external_id",
            "status",
            "industry",
            "product",
            "use_case",
            "region",
            "country",
            "size",
        ]


def _accounts(user) -> QuerySet[Account]:
    return (
        Account.objects.visible_to(user)
        .select_related("industry", "size_band", "country__region", "owner")
        .prefetch_related("products", "use_cases", "competitors_displaced")
        .annotate(
            contact_count=count_of(Contact, "account"),
            since_key=Coalesce("customer_since", Value(UNKNOWN_SINCE)),
        )
    )


class AccountList(generics.ListAPIView):
    """The customer accounts, filtered by the search's facets; health and contract value for
    reference managers only."""

    permission_classes = [StaffRole]
    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    filter_backends = FILTER_BACKENDS
    pagination_class = ProgramPages
    orderings = {"name": "name", "customer_since": "since_key", "updated_at": "updated_at"}
    default_ordering = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Account.objects.none()
        return _accounts(self.request.user)


class AccountDetail(generics.RetrieveAPIView):
    permission_classes = [StaffRole]
    serializer_class = AccountSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Account.objects.none()
        return _accounts(self.request.user)


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label="Words in the name (and the exact email, for managers)"
    )
    external_id = django_filters.CharFilter(max_length=64, label="The contact's id in the CRM")
    status = django_filters.MultipleChoiceFilter(choices=ReferenceStatus.choices)
    account = IdsFilter(field_name="account_id")
    persona = IdsFilter(field_name="persona_id")
    industry = IdsFilter(field_name="account__industry_id")
    product = IdsFilter(field_name="account__products", distinct=True)
    region = IdsFilter(field_name="account__country__region_id")
    country = IdsFilter(field_name="account__country_id")
    size = IdsFilter(field_name="account__size_band_id", label="Company size band")

    class Meta:
        model = Contact
        fields = ["q", "external_id", "status", "account", "persona", "industry", "product", "region"]

    def filter_q(self, queryset, name, value):
        """As the managers' contact list searches: names, and the email only for who may read it."""
        words = value.strip()
        if not words:
            return queryset
        by_email = Q(email__iexact=words) if sees_contact_details(self.request.user) else Q(pk__in=[])
        return queryset.filter(Q(last_name__icontains=words) | Q(first_name__icontains=words) | by_email)


def _contacts(user) -> QuerySet[Contact]:
    contacts = Contact.objects.visible_to(user).select_related("persona", "account")
    if runs_the_program(user):
        # The program's records (ProgramRecordQuerySet: the same rule) for who runs the program.
        return contacts.select_related("preferences").prefetch_related(
            "preferences__activity_types",
            Prefetch("blackouts", queryset=BlackoutPeriod.objects.visible_to(user)),
        )
    # Anyone else: email and phone leave the database only for the contacts a request of theirs
    # released (`released_email`, `released_phone`; NULL otherwise), as the request page reads them.
    released = Exists(contacts_released_to(user).filter(chosen_contact_id=OuterRef("pk")))
    return contacts.defer(*CONTACT_DETAIL_FIELDS).annotate(
        **{
            f"released_{name}": Case(
                When(released, then=F(name)), default=Value(None), output_field=CharField()
            )
            for name in CONTACT_DETAIL_FIELDS
        }
    )


class ContactList(generics.ListAPIView):
    """The contacts at customer accounts. Email and phone: for reference managers, and for a
    requester once a request of theirs naming the contact is approved (absent otherwise);
    participation preferences and blackout dates for reference managers."""

    permission_classes = [StaffRole]
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    filter_backends = FILTER_BACKENDS
    pagination_class = ProgramPages
    orderings = {"last_name": "last_name", "updated_at": "updated_at"}
    default_ordering = "last_name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        return _contacts(self.request.user)


class ContactDetail(generics.RetrieveAPIView):
    permission_classes = [StaffRole]
    serializer_class = ContactSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        return _contacts(self.request.user)
