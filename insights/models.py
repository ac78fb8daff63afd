"""What insights keep: sales teams (to read figures per team), the program's goals per quarter and
team, and who receives the monthly executive digest."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Team(models.Model):
    """A group of sales users (a region's or a segment's sellers): figures and goals per team read
    the deals its members own and the requests they make."""

    name = models.CharField(max_length=120, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="insight_teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GoalMetric(models.TextChoices):
    REQUESTS_FULFILLED = "requests_fulfilled", "Requests fulfilled"
    INFLUENCED_REVENUE = "influenced_revenue", "Influenced revenue (USD)"
    NEW_REFERENCES = "new_references", "New references recruited"


class ProgramGoal(models.Model):
    """A target for one quarter, for the whole program (no team) or one team."""

    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="goals")
    metric = models.CharField(max_length=30, choices=GoalMetric.choices)
    target = models.DecimalField(
        max_digits=16, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(10**13)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter", "team__name", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "team", "metric"], name="goal_once_per_team_quarter_metric"
            ),
            models.UniqueConstraint(
                fields=["year", "quarter", "metric"],
                condition=Q(team__isnull=True),
                name="goal_once_per_program_quarter_metric",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="goal_quarter_valid"),
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_target_non_negative"),
            models.CheckConstraint(condition=Q(metric__in=GoalMetric.values), name="goal_metric_valid"),
        ]

    def __str__(self) -> str:
        who = self.team.name if self.team_id else "Program"
        return f"{who} {self.year} Q{self.quarter}: {self.get_metric_display()} {self.target}"


class DigestRecipient(models.Model):
    """A user who receives the monthly executive digest by email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)


class DigestIssue(models.Model):
    """The figures of one month's executive digest, as written when it was first sent: every
    recipient's email (text and HTML) reads this one snapshot, so a later send of the same month
    (a recipient added afterwards, a re-delivered message) says the same numbers, and the next
    month's "now" figures compare with these."""

    month = models.DateField(unique=True, help_text="The first day of the month it reports.")
    figures = models.JSONField(help_text="Figure code → [value, previous value or null], as decimal text.")
    written_at = models.DateTimeField(help_text="When the figures were computed (the “now” figures' moment).")

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Executive digest {self.month:%B %Y}"


class DealFact(models.Model):
    """A closed deal (won or lost) as the revenue figures read it, written by the last refresh of
    `insights.facts`: whether a reference activity or a content use influenced it, its amount in US
    dollars at that refresh's rates, its sales cycle. Derived rows, rebuilt whole by beat: the pages
    sum these instead of re-deriving "influenced" from a million activity links for each view, and
    say as of when."""

    deal = models.OneToOneField(
        "references.Opportunity", on_delete=models.CASCADE, primary_key=True, related_name="insight_fact"
    )
    close_date = models.DateField()
    is_won = models.BooleanField()
    usd = models.DecimalField(max_digits=24, decimal_places=6, null=True, help_text="NULL: no currency rate.")
    by_activity = models.BooleanField(help_text="A reference activity for it on or before its close date.")
    by_content = models.BooleanField(help_text="A content use for it on or before its close date.")
    cycle_days = models.IntegerField(null=True, help_text="Opening to close; NULL when unknown.")

    class Meta:
        indexes = [models.Index(fields=["close_date", "is_won"], name="dealfact_close_won")]

    def __str__(self) -> str:
        return f"Facts of deal {self.deal_id}"


class InfluenceFact(models.Model):
    """One (closed deal, activity type, contact) with a reference activity for the deal on or before
    its close date, written by the same refresh, with the deal's close date, outcome and US dollars
    copied in so the per-type and per-reference sums read this table alone. Of each (deal, type) one
    row is marked `first_of_type`, of each (deal, contact) one `first_of_contact`: summing only the
    marked rows counts every deal once per type or per reference without a DISTINCT per view."""

    deal = models.ForeignKey(
        "references.Opportunity", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    activity_type = models.ForeignKey(
        "references.ActivityType", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    contact = models.ForeignKey("references.Contact", on_delete=models.CASCADE, related_name="+")
    close_date = models.DateField()
    is_won = models.BooleanField()
    usd = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    first_of_type = models.BooleanField(default=False, db_default=False)
    first_of_contact = models.BooleanField(default=False, db_default=False)

    class Meta:
        # Each sum reads one of these alone (an index-only scan, grouped in index order): per
        # reference, per type, per reference of one type; and "influenced by this type?" per deal.
        indexes = [
            models.Index(fields=["deal", "activity_type"], name="influencefact_deal_type"),
            models.Index(
                fields=["contact"],
                include=["close_date", "usd"],
                condition=Q(is_won=True, first_of_contact=True),
                name="influencefact_per_contact",
            ),
            models.Index(
                fields=["activity_type"],
                include=["close_date", "usd"],
                condition=Q(is_won=True, first_of_type=True),
                name="influencefact_per_type",
            ),
            models.Index(
                fields=["activity_type", "contact"],
                include=["close_date", "usd"],
                condition=Q(is_won=True),
                name="influencefact_type_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"Deal {self.deal_id}: type {self.activity_type_id} by contact {self.contact_id}"


class FactsRefresh(models.Model):
    """Each rebuild of the facts above: when it was taken (the figures' "as of") and its size."""

    refreshed_at = models.DateTimeField()
    deals = models.PositiveIntegerField()
    influences = models.PositiveIntegerField()
    took_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["-refreshed_at"]

    def __str__(self) -> str:
        return f"Insight facts as of {self.refreshed_at:%Y-%m-%d %H:%M}"
