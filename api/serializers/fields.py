"""Input fields the API's serializers share: dates refuse far years as the portal's forms do
(`core.dates.validate_sane_date`), ids refuse numbers no table holds."""

from rest_framework import serializers

from core.dates import validate_sane_date
from core.forms import MAX_ID


class DateField(serializers.DateField):
    default_validators = [validate_sane_date]


class DateTimeField(serializers.DateTimeField):
    default_validators = [validate_sane_date]


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
