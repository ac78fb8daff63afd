"""Planned events through the API, as their pages show them to each role: marketing and the
program read every event with every sign-up (/content/events/); a rep the upcoming events with
the sign-ups they made (/sales/events/), and signs one of their open deals up through the same
service as the page (`workflows.planned_events.event_signup`: full → 409, not their open deal or
already signed up → 400)."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import SignedIn, StaffRole
from api.serializers.flows_events import (
    EventSignupInputSerializer,
    EventSignupSerializer,
    PlannedEventSerializer,
)
from api.views.flows_base import fake_view, sane_date_filter
from api.views.program_common import FILTER_BACKENDS, ProgramPages
from core.errors import InvalidInput
from core.roles import Role, has_role
from references.models import ActivityType, Opportunity
from references.taxonomy_data import EVENT_ACTIVITY_TYPES
from workflows.event_selectors import events_visible_to
from workflows.models import EventSignup, PlannedEvent
from workflows.planned_events import event_signup
from workflows.statuses import PlannedEventStatus


@extend_schema_field(OpenApiTypes.STR)
class CodesFilter(django_filters.ModelMultipleChoiceFilter):
    """Any of several rows named by their code (a repeated parameter)."""


class EventFilter(django_filters.FilterSet):
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label="Only still to be held (true) or held, recorded or cancelled (false)"
    )
    activity_type = CodesFilter(
        field_name="activity_type__code",
        to_field_name="code",
        queryset=ActivityType.objects.filter(code__in=EVENT_ACTIVITY_TYPES),
        label="Activity type codes (any of several)",
    )
    status = django_filters.MultipleChoiceFilter(choices=PlannedEventStatus.choices)
    starts_after = sane_date_filter("starts_at__date", "gte")
    starts_before = sane_date_filter("starts_at__date", "lte")

    class Meta:
        model = PlannedEvent
        fields = ["status"]

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        still = {"starts_at__gt": timezone.now(), "status": PlannedEventStatus.PLANNED}
        return queryset.filter(**still) if value else queryset.exclude(**still)


class EventList(generics.ListAPIView):
    """Planned events: every one for marketing and the program, the upcoming ones for reps."""

    permission_classes = [StaffRole]
    serializer_class = PlannedEventSerializer
    pagination_class = ProgramPages
    filterset_class = EventFilter
    filter_backends = FILTER_BACKENDS
    orderings = {"starts_at": "starts_at", "title": "title", "created_at": "created_at"}
    default_ordering = "starts_at"

    def get_queryset(self):
        if fake_view(self):
            return PlannedEvent.objects.none()
        return events_visible_to(self.request.user)


class EventDetail(generics.RetrieveAPIView):
    """One planned event you may read (a rep: upcoming ones), with the sign-ups you may see."""

    permission_classes = [StaffRole]
    serializer_class = PlannedEventSerializer

    def get_object(self):
        return get_object_or_404(events_visible_to(self.request.user), pk=self.kwargs["pk"])


class SignsDealsUp(SignedIn):
    """Sales reps (superusers always), as the sales page's sign-up."""

    message = "Only sales reps sign their deals up to events."

    def role_allows(self, user) -> bool:
        return has_role(user, Role.SALES)


class EventSignupCreate(APIView):
    """Sign one of your open deals up to an upcoming event."""

    permission_classes = [SignsDealsUp]

    @extend_schema(request=EventSignupInputSerializer, responses={201: EventSignupSerializer})
    def post(self, request, pk: int):
        planned = get_object_or_404(
            events_visible_to(request.user).filter(status=PlannedEventStatus.PLANNED), pk=pk
        )
        incoming = EventSignupInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        deal = (
            Opportunity.objects.visible_to(request.user)
            .filter(pk=incoming.validated_data["opportunity"])
            .first()
        )
        if deal is None:
            raise InvalidInput("Choose one of your open deals.", field="opportunity")
        signup = event_signup(planned_event_id=planned.pk, opportunity=deal, actor=request.user)
        loaded = EventSignup.objects.select_related("opportunity__owner").get(pk=signup.pk)
        return Response(EventSignupSerializer(loaded).data, status=status.HTTP_201_CREATED)
