"""Nominations through the API: the reference managers' queue (every nomination, filtered as
/manage/nominations/ is: status, source, industry, product, region) and a rep's own (as
/sales/nominations/), one nomination, and nominating someone through the same service as the
sales portal's form (`workflows.nominations.nomination_submit`)."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.permissions import SalesRole
from api.serializers.flows_nominations import NominationSerializer, NominationSubmitSerializer
from api.views.flows_base import IdFilter, fake_view
from api.views.program_common import FILTER_BACKENDS, ProgramPages
from core.errors import InvalidInput
from references.models import Account
from requests_app.models import Nomination
from requests_app.selectors import contacts_for_nomination
from workflows.nomination_selectors import OPEN, QueueFilters, nomination_queue
from workflows.nominations import nomination_submit

STATUS_CHOICES = [(OPEN, "Waiting (submitted or qualifying)"), *Nomination.Status.choices]


class NominationFilter(django_filters.FilterSet):
    """The queue's filters; the rows come from `nomination_queue`, as the manager's page's."""

    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="_queue")
    source = django_filters.ChoiceFilter(choices=Nomination.Source.choices, method="_queue")
    industry = IdFilter(method="_queue")
    product = IdFilter(method="_queue")
    region = IdFilter(method="_queue")

    class Meta:
        model = Nomination
        fields = []

    def _queue(self, queryset, name, value):
        return queryset  # applied all at once in filter_queryset

    def filter_queryset(self, queryset):
        data = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        queue = nomination_queue(
            user=self.request.user, filters=QueueFilters(**{"status": "", **data})
        ).prefetch_related("activity_types")
        return queue.filter(pk__in=queryset.values("pk"))


class NominationListCreate(generics.ListCreateAPIView):
    """GET: every nomination for reference managers, your own for reps; oldest first (`status=open`
    for those waiting). POST: nominate someone at a customer account."""

    permission_classes = [SalesRole]
    serializer_class = NominationSerializer
    pagination_class = ProgramPages
    filterset_class = NominationFilter
    filter_backends = FILTER_BACKENDS
    orderings = {"created_at": "created_at", "updated_at": "updated_at"}
    default_ordering = "created_at"  # oldest waiting first, as the managers' queue

    def get_queryset(self):
        if fake_view(self):
            return Nomination.objects.none()
        return Nomination.objects.visible_to(self.request.user)

    @extend_schema(request=NominationSubmitSerializer, responses={201: NominationSerializer})
    def post(self, request, *args, **kwargs):
        incoming = NominationSubmitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        account = Account.objects.visible_to(request.user).filter(pk=data.pop("account")).first()
        if account is None:
            raise InvalidInput("Choose one of the customer accounts.", field="account")
        contact = None
        if data.get("contact"):
            contact = contacts_for_nomination(account).filter(pk=data["contact"]).first()
            if contact is None:
                raise InvalidInput(
                    f"Choose someone at {account} who is not a reference yet.", field="contact"
                )
        data["contact"] = contact
        created = nomination_submit(nominator=request.user, account=account, **data)
        loaded = _loaded(request.user).get(pk=created.pk)
        return Response(
            NominationSerializer(loaded, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class NominationDetail(generics.RetrieveAPIView):
    """One nomination you may see (reference managers: every one; reps: their own)."""

    permission_classes = [SalesRole]
    serializer_class = NominationSerializer

    def get_object(self):
        return get_object_or_404(_loaded(self.request.user), pk=self.kwargs["pk"])


def _loaded(user):
    return nomination_queue(user=user, filters=QueueFilters(status="")).prefetch_related("activity_types")
