"""JSON shapes of the catalogue: accounts and contacts, read-only.

What a field shows follows `references.visibility`, as the pages do:
- an account's health and contract value (NPS, escalations, renewal, at risk, ACV) are on the
  reference managers' pages only: for anyone else the keys are absent;
- a contact's email and phone go to reference managers, and to a requester whose request naming
  that contact is approved (`requests_app.selectors.contacts_released_to`); for anyone else the
  keys are absent — never null, never empty;
- participation preferences and blackout dates are the program's records (managers only).
"""

from rest_framework import serializers

from api.serializers.program_parts import (
    AccountLinkSerializer,
    CodedSerializer,
    IndustrySerializer,
    NamedSerializer,
    StaffUserSerializer,
    drop,
    viewer,
)
from references.models import Account, BlackoutPeriod, Contact, ParticipationPreferences
from references.visibility import CONTACT_DETAIL_FIELDS, runs_the_program, sees_contact_details

HEALTH_FIELDS = ("nps", "open_escalations", "renewal_date", "at_risk", "annual_contract_value", "currency")


class AccountSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    industry = IndustrySerializer()
    size_band = NamedSerializer()
    country = CodedSerializer()
    region = CodedSerializer(source="country.region")
    products = NamedSerializer(many=True)
    use_cases = NamedSerializer(many=True)
    competitors_displaced = NamedSerializer(many=True)
    owner = StaffUserSerializer()
    contact_count = serializers.IntegerField()
    # Reference managers only (absent for anyone else).
    nps = serializers.IntegerField(required=False, allow_null=True)
    open_escalations = serializers.IntegerField(required=False)
    renewal_date = serializers.DateField(required=False, allow_null=True)
    at_risk = serializers.BooleanField(required=False)
    annual_contract_value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    currency = serializers.CharField(required=False, help_text="ISO 4217 code of the contract value.")

    class Meta:
        model = Account
        fields = [
            "id",
            "external_id",
            "name",
            "status",
            "status_label",
            "industry",
            "size_band",
            "country",
            "region",
            "products",
            "use_cases",
            "competitors_displaced",
            "customer_since",
            "reference_story",
            "owner",
            "contact_count",
            *HEALTH_FIELDS,
            "created_at",
            "updated_at",
        ]

    def get_fields(self) -> dict:
        return program_only(self, super().get_fields(), HEALTH_FIELDS)


class BlackoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = BlackoutPeriod
        fields = ["start", "end", "reason"]


class PreferencesSerializer(serializers.ModelSerializer):
    activity_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    paused = serializers.BooleanField(source="paused_by_contact")
    preferred_channel_label = serializers.CharField(source="get_preferred_channel_display")

    class Meta:
        model = ParticipationPreferences
        fields = [
            "activity_types",
            "own_cap_per_quarter",
            "preferred_channel",
            "preferred_channel_label",
            "wants_in_return",
            "topics_to_avoid",
            "consent_given_at",
            "opted_out",
            "opted_out_at",
            "paused",
            "paused_until",
            "updated_at",
        ]


class ContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name")
    status_label = serializers.CharField(source="get_status_display")
    persona = CodedSerializer()
    account = AccountLinkSerializer()
    # Absent unless the user may read them (see the module's docstring).
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False)
    preferences = PreferencesSerializer(
        required=False, allow_null=True, help_text="Reference managers only (absent for anyone else)."
    )
    blackouts = BlackoutSerializer(
        many=True, required=False, help_text="Reference managers only (absent for anyone else)."
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "external_id",
            "name",
            "first_name",
            "last_name",
            "title",
            "persona",
            "language",
            "time_zone",
            "status",
            "status_label",
            "account",
            "email",
            "phone",
            "preferences",
            "blackouts",
            "created_at",
            "updated_at",
        ]

    def get_fields(self) -> dict:
        fields = program_only(self, super().get_fields(), ("preferences", "blackouts"))
        if not (_for_schema(self) or sees_contact_details(viewer(self))):
            # Released per row by the view's queryset (`released_email`: NULL when not released).
            fields["email"] = serializers.EmailField(source="released_email", required=False)
            fields["phone"] = serializers.CharField(source="released_phone", required=False)
        return fields

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        return drop(data, [name for name in CONTACT_DETAIL_FIELDS if data.get(name) is None])


def _for_schema(serializer: serializers.Serializer) -> bool:
    return getattr(serializer.context.get("view"), "swagger_fake_view", False)


def program_only(serializer: serializers.Serializer, fields: dict, names) -> dict:
    """`fields` without `names` unless the user runs the program (the schema names them all)."""
    if _for_schema(serializer):
        return fields
    return fields if runs_the_program(viewer(serializer)) else drop(fields, names)
