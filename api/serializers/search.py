"""JSON shapes of reference search results. A card carries no contact email or phone."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class CriterionSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="label")
    state = serializers.ChoiceField(choices=["match", "close", "miss"])
    text = serializers.CharField(source="__str__", help_text="As the sales page writes it: “Industry ✓”.")


class ExplanationSerializer(serializers.Serializer):
    """Why the reference ranks where it does: the reasons the sales page shows on its card."""

    summary = serializers.CharField(source="__str__")
    criteria = CriterionSerializer(many=True)
    # The burnout limits' live figure: what an approval would enforce now, and in words.
    free_slots = serializers.IntegerField(source="free")
    availability = serializers.CharField()
    cap = serializers.IntegerField(
        help_text="The lower of the contact's own cap and the program's cap per contact, as the"
        " ranking uses it; the limit that binds now is named in `availability`, counted in `free_slots`."
    )
    resting = serializers.BooleanField()
    available_from = serializers.DateField(allow_null=True)
    nps = serializers.IntegerField(allow_null=True)


class ReferenceCardSerializer(serializers.Serializer):
    contact_id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    account_id = serializers.IntegerField()
    account = serializers.CharField(source="account_name")
    customer_since = serializers.DateField(allow_null=True)
    industry = serializers.CharField()
    region = serializers.CharField()
    country = serializers.CharField()
    size_band = serializers.CharField()
    persona = serializers.CharField()
    language = serializers.CharField()
    products = serializers.ListField(child=serializers.CharField())
    use_cases = serializers.ListField(child=serializers.CharField())
    competitors = serializers.ListField(child=serializers.CharField())
    activity_types = serializers.SerializerMethodField()
    used_in_window = serializers.IntegerField(
        help_text="Activities of the contact's own in the last `window_days` days (live)."
    )
    window_days = serializers.IntegerField(help_text="The program's rolling window, in days.")
    used_this_quarter = serializers.IntegerField(
        source="used_in_window",
        help_text="Kept for compatibility; misnamed: the same count as `used_in_window`, over the"
        " rolling window of `window_days` days, not the calendar quarter.",
    )
    last_activity_on = serializers.DateField(allow_null=True)
    resting = serializers.BooleanField()
    score = serializers.IntegerField()
    score_percent = serializers.IntegerField()
    explanation = ExplanationSerializer()

    def get_activity_types(self, card) -> list[str]:
        return [name for _pk, name in card.activity_types]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class RelaxationSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class RankedForSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="total")
    ranked_for = serializers.SerializerMethodField(
        help_text="What the results are ranked against (a deal or the filters), as the page says it."
    )
    next = serializers.SerializerMethodField(help_text="The next page's URL, if there is one.")
    results = ReferenceCardSerializer(many=True, source="cards")
    facets = FacetSerializer(many=True)
    relaxations = RelaxationSerializer(many=True)

    @extend_schema_field(RankedForSerializer(many=True))
    def get_ranked_for(self, page) -> list[dict]:
        return [{"label": label, "value": value} for label, value in page.target_labels]

    def get_next(self, page) -> str | None:
        return self.context.get("next")
