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
    """What a rep sends to submit a request; the rules are the service's (`request_submit`)."""

    opportunity = IdField()
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
