"""Reads the exports need that no page had: the activity log (every recorded reference activity
the user may see, latest first, fully loaded)."""

from django.db.models import Prefetch, QuerySet

from references.models import Opportunity, ReferenceActivity


def activity_log(*, user) -> QuerySet[ReferenceActivity]:
    """The program's activities as `user` may see them (reference managers: all; others: none)."""
    return (
        ReferenceActivity.objects.visible_to(user)
        .select_related("contact", "account", "activity_type", "recorded_by")
        .defer("contact__email", "contact__phone", "account__reference_story")
        .prefetch_related(Prefetch("opportunities", queryset=Opportunity.objects.only("id", "prospect_name")))
        .order_by("-occurred_on", "-id")
    )
