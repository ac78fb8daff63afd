"""JSON shapes of the content library: an asset as its pages show it — never the file's storage
path; the keepers' download address (`/content/assets/<id>/file/`) for marketing and the program
only — and a use of one."""

from django.urls import reverse
from rest_framework import serializers

from api.serializers.fields import IdField
from api.serializers.program_parts import NamedSerializer
from core.text import REASON_MAX_LENGTH
from marketing.models import Asset, AssetUse
from marketing.querysets import works_the_library


class AssetContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")


class AssetSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    usage_rights_label = serializers.CharField(source="get_usage_rights_display")
    link_url = serializers.CharField(help_text="A video or page elsewhere; empty when there is none.")
    has_file = serializers.SerializerMethodField()
    use_count = serializers.IntegerField(help_text="Recorded uses, by everyone.")
    accounts = NamedSerializer(many=True)
    contacts = AssetContactSerializer(many=True)
    products = NamedSerializer(many=True)
    industries = NamedSerializer(many=True)
    use_cases = NamedSerializer(many=True)
    download_url = serializers.SerializerMethodField(
        help_text="The file's download for marketing and reference managers; null for anyone else "
        "(a rep downloads it from the sales library, which records the use)."
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "summary",
            "quote_text",
            "link_url",
            "has_file",
            "file_name",
            "file_content_type",
            "file_size",
            "usage_rights",
            "usage_rights_label",
            "status",
            "status_label",
            "review_by",
            "published_at",
            "updated_at",
            "use_count",
            "accounts",
            "contacts",
            "products",
            "industries",
            "use_cases",
            "download_url",
        ]
        read_only_fields = fields

    def get_has_file(self, asset) -> bool:
        return bool(asset.file)

    def get_download_url(self, asset) -> str | None:
        request = self.context.get("request")
        if not asset.file or request is None or not works_the_library(request.user):
            return None
        return request.build_absolute_uri(reverse("content:asset-file", args=[asset.pk]))


class AssetUseSerializer(serializers.ModelSerializer):
    asset_id = serializers.IntegerField()
    opportunity_id = serializers.IntegerField(allow_null=True)
    share_url = serializers.SerializerMethodField(
        help_text="For a use by link: the public link to send (it opens while the asset may be shared)."
    )

    class Meta:
        model = AssetUse
        fields = ["id", "asset_id", "opportunity_id", "campaign", "how", "note", "used_at", "share_url"]
        read_only_fields = fields

    def get_share_url(self, use) -> str | None:
        return self.context.get("share_url")


class AssetUseInputSerializer(serializers.Serializer):
    """One use: on one of your open or won deals, or for a campaign (one of the two), and how."""

    opportunity = IdField(required=False, allow_null=True, help_text="One of your open or won deals.")
    campaign = serializers.CharField(
        required=False, allow_blank=True, max_length=AssetUse._meta.get_field("campaign").max_length
    )
    how = serializers.ChoiceField(choices=AssetUse.How.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH)

    def validate(self, attrs):
        deal, campaign = attrs.get("opportunity"), (attrs.get("campaign") or "").strip()
        if deal and campaign:
            raise serializers.ValidationError({"campaign": "Name a deal or a campaign, not both."})
        if not deal and not campaign:
            raise serializers.ValidationError({"opportunity": "Name the deal you used it on, or a campaign."})
        attrs["campaign"] = campaign
        return attrs
