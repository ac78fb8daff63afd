"""JSON shapes of planned events: speakers (names and accounts, never an email or phone), seats,
and the sign-ups the reader may see (every one for marketing and the program, a rep's own)."""

from rest_framework import serializers

from api.serializers.fields import IdField
from workflows.models import EventSignup, PlannedEvent


class SpeakerSerializer(serializers.Serializer):
    contact_id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")
    title = serializers.CharField()
    account_id = serializers.IntegerField()
    account = serializers.CharField(source="account.name")


class EventSignupSerializer(serializers.ModelSerializer):
    opportunity_id = serializers.IntegerField()
    prospect_name = serializers.CharField(source="opportunity.prospect_name")
    deal_owner = serializers.SerializerMethodField()
    signed_up_by_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = EventSignup
        fields = [
            "id",
            "opportunity_id",
            "prospect_name",
            "deal_owner",
            "signed_up_by_id",
            "attended",
            "created_at",
        ]
        read_only_fields = fields

    def get_deal_owner(self, signup) -> str:
        owner = signup.opportunity.owner
        return (owner.get_full_name() or owner.username) if owner else ""


class PlannedEventSerializer(serializers.ModelSerializer):
    activity_type = serializers.CharField(source="activity_type.code")
    activity_type_name = serializers.CharField(source="activity_type.name")
    status_label = serializers.CharField(source="get_status_display")
    signup_count = serializers.IntegerField(help_text="Deals signed up, by every rep.")
    seats_left = serializers.SerializerMethodField()
    speakers = SpeakerSerializer(many=True)
    signups = EventSignupSerializer(
        many=True, source="signup_rows", help_text="Every sign-up for marketing and the program; a rep's own."
    )

    class Meta:
        model = PlannedEvent
        fields = [
            "id",
            "title",
            "activity_type",
            "activity_type_name",
            "starts_at",
            "duration_minutes",
            "capacity",
            "signup_count",
            "seats_left",
            "status",
            "status_label",
            "notes",
            "cancel_reason",
            "speakers",
            "signups",
        ]
        read_only_fields = fields

    def get_seats_left(self, planned) -> int:
        return max(planned.capacity - planned.signup_count, 0)


class EventSignupInputSerializer(serializers.Serializer):
    """The deal to sign up: one of your own open deals (the service checks it again)."""

    opportunity = IdField(help_text="One of your open deals.")
