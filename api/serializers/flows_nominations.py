"""JSON shapes of nominations: what the managers' queue and a rep's "My nominations" show. The
email typed for a person not yet in the catalogue goes to reference managers only
(`references.visibility.sees_contact_details`); a catalogue contact's email and phone never."""

from rest_framework import serializers

from api.serializers.fields import IdField
from core.text import NOTE_MAX_LENGTH
from references.models import ActivityType
from references.visibility import sees_contact_details
from requests_app.models import Nomination


class NominationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    source_label = serializers.CharField(source="get_source_display")
    account_id = serializers.IntegerField(allow_null=True)
    account = serializers.CharField(source="account.name", allow_null=True, default=None)
    industry = serializers.CharField(source="account.industry.name", allow_null=True, default=None)
    region = serializers.CharField(source="account.country.region.name", allow_null=True, default=None)
    contact_id = serializers.IntegerField(allow_null=True)
    person = serializers.SerializerMethodField(help_text="The catalogue contact's name, or the name given.")
    contact_email = serializers.SerializerMethodField(
        help_text="The email typed for a person not yet in the catalogue: reference managers only."
    )
    activity_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    nominated_by_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "status",
            "status_label",
            "source",
            "source_label",
            "account_id",
            "account",
            "industry",
            "region",
            "company_name",
            "contact_id",
            "person",
            "contact_title",
            "contact_email",
            "reason",
            "activity_types",
            "owner_consent",
            "decision_note",
            "nominated_by_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_person(self, nomination) -> str:
        return nomination.contact.full_name if nomination.contact else nomination.contact_name

    def get_contact_email(self, nomination) -> str:
        request = self.context.get("request")
        return nomination.contact_email if request and sees_contact_details(request.user) else ""


class NominationSubmitSerializer(serializers.Serializer):
    """A colleague's nomination, as the sales portal's form takes it: someone at a customer
    account (a contact there not yet a reference, or a person described by name), why, and what
    they might do. The rules are the service's (`workflows.nominations.nomination_submit`)."""

    account = IdField(help_text="The customer account's id.")
    contact = IdField(
        required=False, allow_null=True, help_text="A contact at that account; or describe one."
    )
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.EmailField(
        required=False, allow_blank=True, max_length=Nomination._meta.get_field("contact_email").max_length
    )
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    activity_types = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=ActivityType.objects.filter(is_active=True),
        help_text="Activity type codes.",
    )
