"""JSON shapes of deals, reference activities and notifications, read-only."""

from rest_framework import serializers

from api.serializers.program_parts import (
    AccountLinkSerializer,
    CodedSerializer,
    ContactLinkSerializer,
    DealLinkSerializer,
    IndustrySerializer,
    NamedSerializer,
    StaffUserSerializer,
)
from notifications.models import Notification
from references.models import Opportunity, ReferenceActivity


class OpportunitySerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    industry = IndustrySerializer()
    country = CodedSerializer()
    region = CodedSerializer(source="country.region")
    size_band = NamedSerializer(allow_null=True)
    products = NamedSerializer(many=True)
    amount_usd = serializers.DecimalField(
        max_digits=24,
        decimal_places=2,
        allow_null=True,
        help_text="The amount in US dollars at the program's rate; null for a currency without one.",
    )
    owner = StaffUserSerializer()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "external_id",
            "prospect_name",
            "industry",
            "country",
            "region",
            "size_band",
            "products",
            "amount",
            "currency",
            "amount_usd",
            "stage",
            "stage_label",
            "close_date",
            "opened_on",
            "outcome",
            "outcome_label",
            "owner",
            "created_at",
            "updated_at",
        ]


class ActivitySerializer(serializers.ModelSerializer):
    contact = ContactLinkSerializer()
    account = AccountLinkSerializer()
    activity_type = CodedSerializer()
    opportunities = DealLinkSerializer(many=True, help_text="The deals it served.")
    recorded_by = StaffUserSerializer(allow_null=True)

    class Meta:
        model = ReferenceActivity
        fields = [
            "id",
            "contact",
            "account",
            "activity_type",
            "occurred_on",
            "duration_minutes",
            "opportunities",
            "notes",
            "recorded_by",
            "created_at",
        ]


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField()
    unread = serializers.BooleanField(source="is_unread")

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "link", "unread", "read_at", "created_at"]


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are read now.")
