"""JSON shapes of the CRM's upserts (`/api/crm/`): one item of each kind, a batch of them, and
what happened to each.

An item names the fields it sets; those it leaves out keep their values (a new record takes the
defaults, and must give the fields the service names as required to create one). Codes are the
taxonomies' own: an industry's NAICS code ("52"), a country's ISO 3166 alpha-2 code ("DE"), a
persona's code ("executive"); size bands, products and use cases by their names, case aside.
A record's status, ids, counters and times are the program's: fields not listed here are
ignored, so sending `status` changes nothing.
"""

import re

from rest_framework import serializers

from api.serializers.fields import DateField
from core.currencies import CURRENCY_CODES
from core.dates import known_zones
from integrations.crm import MAX_ITEMS, UpsertResult
from references.models import Opportunity

# An external id: what a CRM uses (Salesforce's 18 characters, HubSpot's numbers, GUIDs), no
# spaces or control characters; it is also a path segment of the single upsert's address.
EXTERNAL_ID = re.compile(r"^[^\s/\\?#%]+$")
LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


class ExternalIdField(serializers.RegexField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Use the CRM's id: no spaces, slashes, question marks, hashes or percent signs."},
        )
        super().__init__(EXTERNAL_ID, **kwargs)


class CurrencyField(serializers.CharField):
    """An ISO 4217 code (`core.currencies`), upper-cased."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data).upper()
        if code not in CURRENCY_CODES:
            raise serializers.ValidationError(f"“{code}” is not an ISO 4217 currency code (like USD or EUR).")
        return code


def _codes(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=120), max_length=100, **kwargs)


class AccountItemSerializer(serializers.Serializer):
    external_id = ExternalIdField()
    name = serializers.CharField(max_length=200)
    industry = serializers.CharField(max_length=10, help_text="The industry's NAICS sector code, like 52.")
    size_band = serializers.CharField(max_length=120, help_text="The size band's name.")
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, like DE.")
    products = _codes(required=False, help_text="The products' names; replaces the account's.")
    use_cases = _codes(required=False, help_text="The use cases' names; replaces the account's.")
    owner_email = serializers.EmailField(
        help_text="An active sales rep or reference manager: approves the account's use as a reference."
    )
    customer_since = DateField(allow_null=True)
    annual_contract_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    currency = CurrencyField(help_text="ISO 4217, like EUR.")
    nps = serializers.IntegerField(min_value=0, max_value=10, allow_null=True)
    open_escalations = serializers.IntegerField(min_value=0, max_value=32767)
    renewal_date = DateField(allow_null=True)
    at_risk = serializers.BooleanField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "external_id"  # the others are required to create (the service says)


class ContactItemSerializer(serializers.Serializer):
    external_id = ExternalIdField()
    account_external_id = ExternalIdField(help_text="The external id of the contact's account, sent before.")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200, allow_blank=True)
    persona = serializers.CharField(max_length=40, help_text="executive, technical or end_user.")
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=40, allow_blank=True)
    language = serializers.RegexField(LANGUAGE, max_length=10, help_text="ISO 639-1, like de.")
    time_zone = serializers.CharField(max_length=64, help_text="An IANA time zone, like Europe/Berlin.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "external_id"

    def validate_time_zone(self, value: str) -> str:
        if value not in known_zones():
            raise serializers.ValidationError(f"“{value}” is not an IANA time zone, like Europe/Berlin.")
        return value


class OpportunityItemSerializer(serializers.Serializer):
    external_id = ExternalIdField()
    prospect_name = serializers.CharField(max_length=200)
    industry = serializers.CharField(max_length=10, help_text="The industry's NAICS sector code, like 52.")
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, like DE.")
    size_band = serializers.CharField(max_length=120, allow_null=True, help_text="The size band's name.")
    products = _codes(help_text="The products' names; replaces the deal's.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    currency = CurrencyField(help_text="ISO 4217, like EUR.")
    stage = serializers.ChoiceField(
        choices=Opportunity.Stage.choices, help_text="Won or lost deals are closed whatever is sent."
    )
    close_date = DateField()
    opened_on = DateField(
        allow_null=True,
        help_text="When the deal was opened (the start of its sales cycle); on or before close_date.",
    )
    outcome = serializers.ChoiceField(choices=Opportunity.Outcome.choices)
    owner_email = serializers.EmailField(help_text="An active sales rep or reference manager.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "external_id"


def _id_from_address(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The single upsert's body: an item whose external id comes from the address (the body may
    repeat it, the same)."""

    def __init__(self, *args, **kwargs):
        item.__init__(self, *args, **kwargs)
        self.fields["external_id"].required = False

    return type(name, (item,), {"__init__": __init__, "__doc__": _id_from_address.__doc__})


AccountPutSerializer = _id_from_address(AccountItemSerializer, "AccountPutSerializer")
ContactPutSerializer = _id_from_address(ContactItemSerializer, "ContactPutSerializer")
OpportunityPutSerializer = _id_from_address(OpportunityItemSerializer, "OpportunityPutSerializer")


class ItemsField(serializers.ListField):
    """The items of a batch: counted before any is read, so 100,000 items are refused at once."""

    def __init__(self, **kwargs):
        super().__init__(min_length=1, max_length=MAX_ITEMS, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > MAX_ITEMS:
            raise serializers.ValidationError(f"Send at most {MAX_ITEMS:,} items in one batch.")
        return super().to_internal_value(data)


class RawBatchSerializer(serializers.Serializer):
    """A batch's shape only: 1 to 1,000 items, each read by its kind's item serializer after."""

    items = ItemsField(child=serializers.JSONField())


class AccountBatchSerializer(serializers.Serializer):
    items = ItemsField(child=AccountItemSerializer())


class ContactBatchSerializer(serializers.Serializer):
    items = ItemsField(child=ContactItemSerializer())


class OpportunityBatchSerializer(serializers.Serializer):
    items = ItemsField(child=OpportunityItemSerializer())


class ItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's place in the batch, from 0.")
    external_id = serializers.CharField()
    result = serializers.ChoiceField(choices=UpsertResult.choices)
    id = serializers.IntegerField(help_text="The record's id in RMS.")


class BatchResultSerializer(serializers.Serializer):
    results = ItemResultSerializer(many=True)
