"""Admin of the editable lookup lists: industries, products, regions, countries, personas…"""

from django.contrib import admin

from references.models import (
    ActivityType,
    Competitor,
    Country,
    Industry,
    Persona,
    Product,
    Region,
    SizeBand,
    UseCase,
)


class TaxonomyAdmin(admin.ModelAdmin):
    """An editable lookup list; search_fields also serve the autocomplete widgets that point here."""

    list_display = ["name", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Product, UseCase, Competitor)
class PlainTaxonomyAdmin(TaxonomyAdmin):
    pass


@admin.register(Industry)
class IndustryAdmin(TaxonomyAdmin):
    list_display = ["name", "naics_code", "is_active", "sort_order"]
    search_fields = ["name", "naics_code"]


@admin.register(Region)
class RegionAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "is_active", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "region", "is_active", "sort_order"]
    list_filter = ["region", "is_active"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]


@admin.register(SizeBand)
class SizeBandAdmin(TaxonomyAdmin):
    list_display = ["name", "min_employees", "max_employees", "is_active", "sort_order"]


@admin.register(Persona)
class PersonaAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "is_active", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(ActivityType)
class ActivityTypeAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "counts_toward_limits", "is_one_to_many", "is_active", "sort_order"]
    list_filter = ["counts_toward_limits", "is_one_to_many", "is_active"]
    search_fields = ["name", "code"]
