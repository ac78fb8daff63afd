"""Campaigns through the API: the campaign requests marketing made (the program: every one),
grouped by campaign with their counts (`requests_app.campaigns.campaigns_with_counts`). A
campaign's requests are `/api/requests/?campaign=<name>`."""

from rest_framework import generics

from api.pagination import CheckedCursorPagination
from api.permissions import ContentRole
from api.serializers.flows_campaigns import CampaignSerializer
from api.views.flows_base import fake_view
from requests_app.campaigns import campaigns_with_counts
from requests_app.models import ReferenceRequest


class CampaignPages(CheckedCursorPagination):
    ordering = ("campaign",)  # unique among the grouped rows
    page_size = 50


class CampaignList(generics.ListAPIView):
    """Campaigns with their requests open, approved and in all: marketing their own, reference
    managers every one."""

    permission_classes = [ContentRole]
    serializer_class = CampaignSerializer
    pagination_class = CampaignPages
    filter_backends = []

    def get_queryset(self):
        if fake_view(self):
            return ReferenceRequest.objects.none()
        return campaigns_with_counts(self.request.user)
