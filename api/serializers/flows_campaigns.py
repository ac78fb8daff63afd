"""JSON shape of a campaign: its name and its requests' counts."""

from urllib.parse import urlencode

from django.urls import reverse
from rest_framework import serializers


class CampaignSerializer(serializers.Serializer):
    campaign = serializers.CharField(help_text="The campaign's name, as its requests carry it.")
    open = serializers.IntegerField(help_text="Requests still in play.")
    approved = serializers.IntegerField(help_text="Of those, approved (a contact is taking part).")
    total = serializers.IntegerField(help_text="Requests in all.")
    latest_at = serializers.DateTimeField(help_text="When the latest request was made.")
    requests_url = serializers.SerializerMethodField(help_text="Its requests: /api/requests/?campaign=…")

    def get_requests_url(self, row) -> str:
        path = f"{reverse('api-requests')}?{urlencode({'campaign': row['campaign']})}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
