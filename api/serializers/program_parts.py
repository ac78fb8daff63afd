"""Small JSON shapes the program's resources share: a taxonomy entry, a staff user, a link to an
account, a contact or a deal. All read-only; the rows come loaded by the views' querysets."""

from rest_framework import serializers


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CodedSerializer(NamedSerializer):
    """A taxonomy entry with a code (region, country, persona, activity type)."""

    code = serializers.CharField()


class IndustrySerializer(NamedSerializer):
    naics_code = serializers.CharField()


class StaffUserSerializer(serializers.Serializer):
    """A member of staff: an account's owner, a deal's owner."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class AccountLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ContactLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class DealLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    prospect_name = serializers.CharField()


def viewer(serializer: serializers.Serializer):
    """The user the serializer answers (its context's request)."""
    return serializer.context["request"].user


def drop(data: dict, keys) -> dict:
    """`data` without `keys`: a field a user may not read is absent, not null."""
    for key in keys:
        data.pop(key, None)
    return data
