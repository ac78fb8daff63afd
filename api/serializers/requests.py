"""JSON shapes of the sales API's requests. No contact email or phone, ever: the program makes
the first contact, and the rep reads the details on the request page once it is approved."""

from rest_framework import serializers

from api.serializers.fields import DateField, IdField
from core.text import NOTE_MAX_LENGTH
from requests_app.models import ReferenceRequest


class CandidateSerializer(serializers.Serializer):
    preference = serializers.IntegerField()
    contact_id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    account = serializers.CharField(source="contact.account.name")

    def get_name(self, candidate) -> str:
        return f"{candidate.contact.first_name} {candidate.contact.last_name}"


class ReferenceRequestSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    activity_type = serializers.CharField(source="activity_type.code")
    opportunity = serializers.SerializerMethodField()
    candidates = CandidateSerializer(many=True)
    chosen_contact_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = ReferenceRequest
        fields = [
            "id",
            "status",
            "status_label",
            "activity_type",
            "needed_by",
            "opportunity",
            "campaign",
            "candidates",
            "chosen_contact_id",
            "notes",
            "created_at",
        ]

    def get_opportunity(self, request) -> dict | None:
        if request.opportunity is None:
            return None
        return {"id": request.opportunity_id, "prospect_name": request.opportunity.prospect_name}


class RequestSubmitSerializer(serializers.Serializer):
    """What a rep sends to submit a request for a deal (`opportunity`), or marketing for a
    campaign (`campaign`, its name; no deal): exactly one of the two. The rules are the
    service's (`request_submit`)."""

    opportunity = IdField(required=False, help_text="The deal's id; or give `campaign` instead.")
    campaign = serializers.CharField(
        required=False,
        max_length=ReferenceRequest._meta.get_field("campaign").max_length,
        help_text="A campaign's name (press, analyst, speaking…) for a request with no deal; "
        "marketing and reference managers only. Give it or `opportunity`, not both.",
    )
    activity_type = serializers.SlugField(help_text="An activity type code, e.g. reference_call.")
    contacts = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=3,
        help_text="1–3, first choice first.",
    )
    needed_by = DateField()
    prospect_contact_role = serializers.SlugField(
        required=False, allow_blank=True, help_text="A persona code."
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)

    def validate(self, attrs):
        if attrs.get("opportunity") and attrs.get("campaign"):
            raise serializers.ValidationError({"campaign": "Give a deal or a campaign, not both."})
        if not attrs.get("opportunity") and not attrs.get("campaign"):
            raise serializers.ValidationError({"opportunity": "Give the deal's id, or a campaign's name."})
        return attrs
