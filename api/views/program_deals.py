"""`/api/opportunities/` and `/api/activities/`: deals and what references did for them, read-only.

Deals start from `Opportunity.objects.visible_to` (a rep: the deals they own or are on the team
of; reference managers: all), with the amount in US dollars (`references.currency.amount_in_usd`).
Activities are the program's records (`ProgramRecordQuerySet`): reference managers only, so the
endpoint is theirs (403 for other roles) and its rows start from `visible_to` all the same.
"""

import django_filters
from django.db.models import Prefetch, QuerySet
from rest_framework import generics

from api.permissions import ManagerRole, StaffRole
from api.serializers.program_records import ActivitySerializer, OpportunitySerializer
from api.views.program_common import FILTER_BACKENDS, IdsFilter, ProgramPages, WordsFilter
from core.dates import validate_sane_date
from references.currency import amount_in_usd
from references.models import Opportunity, ReferenceActivity


class SaneDateFilter(django_filters.DateFilter):
    """A date a person could mean (the portal's forms refuse far years the same way)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_sane_date])
        super().__init__(*args, **kwargs)


class OpportunityFilter(django_filters.FilterSet):
    q = WordsFilter(field_name="prospect_name", label="Words in the prospect's name")
    external_id = django_filters.CharFilter(max_length=64, label="The deal's id in the CRM")
    stage = django_filters.MultipleChoiceFilter(choices=Opportunity.Stage.choices)
    outcome = django_filters.MultipleChoiceFilter(choices=Opportunity.Outcome.choices)
    close_after = SaneDateFilter(field_name="close_date", lookup_expr="gte", label="Closing on or after")
    close_before = SaneDateFilter(field_name="close_date", lookup_expr="lte", label="Closing on or before")
    industry = IdsFilter(field_name="industry_id")
    product = IdsFilter(field_name="products", distinct=True)
    region = IdsFilter(field_name="country__region_id")
    country = IdsFilter(field_name="country_id")
    owner = django_filters.ChoiceFilter(
        choices=[("me", "Deals you own")], method="filter_owner", label="me: only the deals you own"
    )

    class Meta:
        model = Opportunity
        fields = ["q", "external_id", "stage", "outcome", "industry", "product", "region", "country"]

    def filter_owner(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value == "me" else queryset


def _opportunities(user) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.visible_to(user)
        .select_related("industry", "country__region", "size_band", "owner")
        .prefetch_related("products")
        .annotate(amount_usd=amount_in_usd())
    )


class OpportunityList(generics.ListAPIView):
    """Your deals (a rep: those you own or are on the team of; reference managers: every deal)."""

    permission_classes = [StaffRole]
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    filter_backends = FILTER_BACKENDS
    pagination_class = ProgramPages
    orderings = {
        "close_date": "close_date",
        "amount": "amount",
        "prospect_name": "prospect_name",
        "updated_at": "updated_at",
    }
    default_ordering = "close_date"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Opportunity.objects.none()
        return _opportunities(self.request.user)


class OpportunityDetail(generics.RetrieveAPIView):
    """One of your deals; another rep's is a 404."""

    permission_classes = [StaffRole]
    serializer_class = OpportunitySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Opportunity.objects.none()
        return _opportunities(self.request.user)


class ActivityFilter(django_filters.FilterSet):
    activity_type = django_filters.CharFilter(
        field_name="activity_type__code", max_length=40, label="An activity type's code"
    )
    account = IdsFilter(field_name="account_id")
    contact = IdsFilter(field_name="contact_id")
    opportunity = IdsFilter(field_name="opportunities", distinct=True, label="Deals it served")
    occurred_after = SaneDateFilter(field_name="occurred_on", lookup_expr="gte", label="On or after")
    occurred_before = SaneDateFilter(field_name="occurred_on", lookup_expr="lte", label="On or before")

    class Meta:
        model = ReferenceActivity
        fields = ["activity_type", "account", "contact", "opportunity"]


def _activities(user) -> QuerySet[ReferenceActivity]:
    deals = Opportunity.objects.only("pk", "external_id", "prospect_name")
    return (
        ReferenceActivity.objects.visible_to(user)
        .select_related("contact", "account", "activity_type", "recorded_by")
        .prefetch_related(Prefetch("opportunities", queryset=deals))
    )


class ActivityList(generics.ListAPIView):
    """What references did: contact, account, type, day and the deals served (managers only)."""

    permission_classes = [ManagerRole]
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    filter_backends = FILTER_BACKENDS
    pagination_class = ProgramPages
    orderings = {"occurred_on": "occurred_on", "created_at": "created_at"}
    default_ordering = "-occurred_on"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReferenceActivity.objects.none()
        return _activities(self.request.user)


class ActivityDetail(generics.RetrieveAPIView):
    permission_classes = [ManagerRole]
    serializer_class = ActivitySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReferenceActivity.objects.none()
        return _activities(self.request.user)
