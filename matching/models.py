"""Match weights and the search index behind the sales portal's reference search.

The index is derived data: `ReferenceEntry` holds one row per *offerable* contact with everything
search filters and ranks on (facet ids, health, own cap) in one narrow row, and `SearchDocument`
holds one row per usable account with its free text (name; industry, country, products, use cases
and competitors; the reference story). Both are rebuilt by `matching.indexing` (a full rebuild and
an incremental refresh); nothing else writes them. From them the indexer publishes a
`SearchSnapshot`: the columnar copy every web process searches in memory (`matching.snapshot`).
Search never trusts the index alone for who may be offered: the page of results is re-checked
against the live catalogue (`ContactQuerySet.offerable()`).
"""

from django.db import models
from django.db.models import Q

from matching.fields import IdListField
from references.models import Account, Contact


class MatchWeights(models.Model):
    """How much each criterion adds to a reference's match score (one row, id 1, admin-editable).

    A criterion the search has no target for (no deal industry, say) adds nothing to anyone, so
    scores stay comparable within one search, not across searches.
    """

    industry = models.PositiveSmallIntegerField(default=25, help_text="Same industry as the deal.")
    product = models.PositiveSmallIntegerField(default=25, help_text="Uses one of the deal's products.")
    region = models.PositiveSmallIntegerField(default=15, help_text="Same sales region as the prospect.")
    size = models.PositiveSmallIntegerField(
        default=10, help_text="Same size band as the prospect (half for the next band up or down)."
    )
    persona = models.PositiveSmallIntegerField(
        default=10, help_text="Same persona as the prospect's contact (half for a neighbouring one)."
    )
    availability = models.PositiveSmallIntegerField(
        default=10, help_text="In proportion to the contact's free slots this quarter."
    )
    nps = models.PositiveSmallIntegerField(default=5, help_text="In proportion to the account's NPS (0–10).")
    text = models.PositiveSmallIntegerField(
        default=10, help_text="Free-text relevance (see matching/text.py), when the search has words."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "match weights"
        verbose_name_plural = "match weights"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="matchweights_singleton")]

    def __str__(self) -> str:
        return "Match weights"

    @classmethod
    def load(cls) -> "MatchWeights":
        """The one row (the data migration creates it; recreated with defaults if deleted)."""
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights


class SearchDocument(models.Model):
    """The free text of one usable account, for full-text search (one row per account)."""

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # The three parts weigh differently in relevance (matching/text.py).
    name = models.TextField(default="", help_text="The account's name.")
    tags = models.TextField(
        default="", help_text="Industry, country, products, use cases and competitors displaced."
    )
    story = models.TextField(blank=True, help_text="The reference story.")
    indexed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Search document of account {self.account_id}"


class ReferenceEntry(models.Model):
    """One offerable contact as search sees it: every filter and ranking input in one row."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, db_column="account_id", related_name="entries"
    )
    industry_id = models.IntegerField()
    country_id = models.IntegerField()
    region_id = models.IntegerField()
    size_band_id = models.IntegerField()
    persona_id = models.IntegerField()
    language = models.CharField(max_length=10)
    nps = models.SmallIntegerField(null=True, blank=True)
    resting = models.BooleanField(help_text="The contact or its account is resting.")
    own_cap = models.PositiveSmallIntegerField(null=True, blank=True)
    last_activity_on = models.DateField(null=True, blank=True)
    product_ids = IdListField()
    use_case_ids = IdListField()
    competitor_ids = IdListField()
    activity_type_ids = IdListField()
    indexed_at = models.DateTimeField()

    class Meta:
        # No index beyond the primary key: searches read the snapshot, not this table.
        verbose_name_plural = "reference entries"

    def __str__(self) -> str:
        return f"Search entry of contact {self.contact_id}"

    @property
    def account_id(self) -> int:
        return self.document_id


class SearchSnapshot(models.Model):
    """One published version of the in-memory search index: its arrays, serialized.

    The indexer writes a new row when the index changed (`matching.snapshot.publish_snapshot`);
    every web process checks the newest id with each page's first query and swaps in the new
    version when it differs. `digest` tells two snapshots with the same id apart (ids can be
    reused where a transaction that wrote one was rolled back, as in tests on SQLite).
    """

    digest = models.CharField(max_length=64)
    # The limits job's stored usage this was built from (see matching.snapshot.usage_fingerprint).
    usage_fingerprint = models.CharField(max_length=64, blank=True)
    data = models.BinaryField()
    entries = models.PositiveIntegerField()
    documents = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Search snapshot {self.pk} ({self.entries} references)"


class SearchIndexState(models.Model):
    """When the incremental refresh last started (one row, id 1): its next run looks from there."""

    refreshed_from = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="searchindexstate_singleton")]

    def __str__(self) -> str:
        return "Search index state"
