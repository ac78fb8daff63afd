"""Install the starting taxonomies: NAICS sectors, regions and ISO countries, size bands,
personas, activity types, and a starter list of products, use cases and competitors."""

import pycountry
from django.db import migrations

from references import taxonomy_data as data


def seed(apps, schema_editor):
    Industry = apps.get_model("references", "Industry")
    Region = apps.get_model("references", "Region")
    Country = apps.get_model("references", "Country")
    SizeBand = apps.get_model("references", "SizeBand")
    Persona = apps.get_model("references", "Persona")
    ActivityType = apps.get_model("references", "ActivityType")
    for order, (code, name) in enumerate(data.NAICS_SECTORS):
        Industry.objects.get_or_create(naics_code=code, defaults={"name": name, "sort_order": order})
    regions = {}
    for order, (code, name) in enumerate(data.REGIONS):
        regions[code], _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        Country.objects.get_or_create(
            code=country.alpha_2,
            defaults={"name": name, "region": regions[data.region_code_for(country.alpha_2)]},
        )
    for order, (name, low, high) in enumerate(data.SIZE_BANDS):
        SizeBand.objects.get_or_create(
            name=name, defaults={"min_employees": low, "max_employees": high, "sort_order": order}
        )
    for order, (code, name) in enumerate(data.PERSONAS):
        Persona.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name, counts, one_to_many) in enumerate(data.ACTIVITY_TYPES):
        ActivityType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "sort_order": order,
                "counts_toward_limits": counts,
                "is_one_to_many": one_to_many,
            },
        )
    for model_name, names in (
        ("Product", data.PRODUCTS),
        ("UseCase", data.USE_CASES),
        ("Competitor", data.COMPETITORS),
    ):
        model = apps.get_model("references", model_name)
        for order, name in enumerate(names):
            model.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("references", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
