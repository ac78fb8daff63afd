"""Admin-editable lookup lists: industries, products, regions, countries, personas, activity types…"""

from django.db import models
from django.db.models import F, Q


class Taxonomy(models.Model):
    """A named, orderable entry of an admin-editable list."""

    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Industry(Taxonomy):
    """An industry, seeded from the NAICS sectors."""

    naics_code = models.CharField(max_length=10, unique=True)

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "industries"


class Product(Taxonomy):
    """One of our products that a customer uses or a prospect is buying."""


class UseCase(Taxonomy):
    """What a customer does with the products."""


class Competitor(Taxonomy):
    """A competitor whose product a customer replaced."""


class Region(Taxonomy):
    """A sales region grouping countries (e.g. EMEA)."""

    code = models.CharField(max_length=20, unique=True)


class Country(Taxonomy):
    """A country (ISO 3166-1), in one sales region."""

    code = models.CharField(max_length=2, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "countries"


class SizeBand(Taxonomy):
    """A company-size band by employees; sort_order runs from small to large."""

    min_employees = models.PositiveIntegerField()
    max_employees = models.PositiveIntegerField(null=True, blank=True)

    class Meta(Taxonomy.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(max_employees__isnull=True) | Q(max_employees__gte=F("min_employees")),
                name="sizeband_max_gte_min",
            )
        ]


class Persona(Taxonomy):
    """The kind of person a contact is: executive, technical, end user."""

    code = models.SlugField(max_length=40, unique=True)


class ActivityType(Taxonomy):
    """A kind of reference activity: reference call, case study, press interview..."""

    code = models.SlugField(max_length=40, unique=True)
    counts_toward_limits = models.BooleanField(
        default=True, help_text="Whether this activity uses up one of the contact's burnout slots."
    )
    is_one_to_many = models.BooleanField(
        default=False, help_text="Serves many prospects at once (event, webinar, published content)."
    )
