"""The sales API for requests: a rep's own requests (filter, sort, page) and submitting one.

Submitting goes through `workflows.services.request_submit`, the same service as the portal;
its InvalidInput becomes a 400 naming the field (`api.errors.domain_exception_handler`).
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.pagination import CheckedCursorPagination
from api.permissions import RequesterRole
from api.serializers.requests import ReferenceRequestSerializer, RequestSubmitSerializer
from core.errors import InvalidInput
from references.models import ActivityType, Opportunity, Persona
from requests_app import selectors
from requests_app.models import ReferenceRequest, RequestStatus
from requests_app.statuses import OPEN_STATUSES
from workflows.services import request_submit


class RequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="Only open (true) or finished (false)")
    opportunity = django_filters.NumberFilter(field_name="opportunity_id")
    needed_before = django_filters.DateFilter(field_name="needed_by", lookup_expr="lte")
    needed_after = django_filters.DateFilter(field_name="needed_by", lookup_expr="gte")
    campaign = django_filters.CharFilter(
        field_name="campaign",
        lookup_expr="iexact",
        max_length=ReferenceRequest._meta.get_field("campaign").max_length,
        label="A campaign's name: its campaign requests",
    )

    class Meta:
        model = ReferenceRequest
        fields = ["status", "opportunity"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)
        )


class RequestPages(CheckedCursorPagination):
    ordering = ("needed_by", "id")
    page_size = 50


class RequestListCreate(generics.ListCreateAPIView):
    """GET: the signed-in user's requests. POST: submit a request for 1–3 references, for a deal
    (`opportunity`) or, from marketing and reference managers, for a campaign (`campaign`)."""

    permission_classes = [RequesterRole]
    serializer_class = ReferenceRequestSerializer
    filterset_class = RequestFilter
    pagination_class = RequestPages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ReferenceRequest.objects.none()
        return selectors.my_requests(user=self.request.user).order_by("needed_by", "id")

    @extend_schema(request=RequestSubmitSerializer, responses={201: ReferenceRequestSerializer})
    def post(self, request, *args, **kwargs):
        incoming = RequestSubmitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        created = request_submit(
            requester=request.user,
            opportunity=_deal(request.user, data["opportunity"]) if data.get("opportunity") else None,
            campaign=data.get("campaign", ""),
            activity_type=_by_code(ActivityType, data["activity_type"], "activity_type"),
            contacts=data["contacts"],
            needed_by=data["needed_by"],
            prospect_contact_role=_by_code(
                Persona, data.get("prospect_contact_role"), "prospect_contact_role"
            ),
            notes=data.get("notes", ""),
        )
        loaded = selectors.my_requests(user=request.user).get(pk=created.pk)
        return Response(ReferenceRequestSerializer(loaded).data, status=status.HTTP_201_CREATED)


class RequestDetail(generics.RetrieveAPIView):
    """One of the rep's requests (404 for anyone else's)."""

    permission_classes = [RequesterRole]
    serializer_class = ReferenceRequestSerializer

    def get_object(self):
        return get_object_or_404(selectors.my_requests(user=self.request.user), pk=self.kwargs["pk"])


def _deal(user, pk: int) -> Opportunity:
    deal = Opportunity.objects.visible_to(user).filter(pk=pk).first()
    if deal is None:
        raise InvalidInput("You can only request references for your own deals.", field="opportunity")
    return deal


def _by_code(model, code: str | None, field: str):
    if not code:
        return None
    found = model.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise InvalidInput(f"Unknown {field.replace('_', ' ')} “{code}”.", field=field)
    return found
