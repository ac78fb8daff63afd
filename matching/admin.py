"""Admin for matching: the match weights (one row; edit, never add or delete)."""

from django.contrib import admin

from matching.models import MatchWeights


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "industry",
        "product",
        "region",
        "size",
        "persona",
        "availability",
        "nps",
        "text",
    ]
    fieldsets = [
        ("What the deal asks for", {"fields": ["industry", "product", "region", "size", "persona"]}),
        ("Availability and health", {"fields": ["availability", "nps"]}),
        ("Free text", {"fields": ["text"]}),
    ]

    def has_add_permission(self, request) -> bool:
        # The one row comes with the migrations (and MatchWeights.load() recreates it).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
