"""The catalogue's part of the demo's insights story (the rest is insights/demo_story.py):

- a segment short of references: healthcare × the first product × APAC keeps that product at two
  reference accounts only, while a share of the open deals moves into it (plenty of demand);
- three over-used customers: active contacts with an activity every week for the past year,
  each serving a deal that closed soon after; the limits job (limits' seeder, later) rests them at
  their limit, and they lead the concentration figures.

Runs at the end of references' seeder, before the search index and the limits job read the
catalogue. Set-based writes and bulk inserts only, so it costs the same at 100,000 accounts.
"""

import time
from datetime import timedelta

from django.db.models import F
from django.db.models.functions import Mod

from core.demo_pipeline import DemoContext
from references.models import (
    Account,
    ActivityType,
    Contact,
    Country,
    DealOutcome,
    Industry,
    Opportunity,
    Product,
    ReferenceActivity,
    Region,
)
from references.statuses import ReferenceStatus

SHORT_INDUSTRY, SHORT_REGION = "62", "APAC"  # healthcare, Asia-Pacific
SHORT_ACCOUNTS_KEPT = 2
SHORT_DEMAND_EVERY = 25  # one open deal in 25 moves into the short segment…
SHORT_DEMAND_AT_LEAST = 12  # …and at least this many (small demos)
OVER_USED = 3
OVER_USED_EVERY_DAYS = 7  # 52 activities in the past year


def short_segment(ctx: DemoContext) -> dict | None:
    """Make healthcare × product × APAC short of references; returns its ids (None when the
    taxonomies lack one of them)."""
    industry = Industry.objects.filter(naics_code=SHORT_INDUSTRY).first()
    region = Region.objects.filter(code=SHORT_REGION).first()
    product = Product.objects.filter(is_active=True).order_by("sort_order", "name").first()
    countries = list(Country.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
    if not (industry and region and product and countries):
        return None
    links = Account.products.through.objects.filter(
        product=product, account__industry=industry, account__country__region=region
    )
    kept = list(links.order_by("account_id").values_list("account_id", flat=True)[:SHORT_ACCOUNTS_KEPT])
    links.exclude(account_id__in=kept).delete()

    open_deals = Opportunity.objects.filter(outcome=DealOutcome.OPEN)
    take = max(SHORT_DEMAND_AT_LEAST, open_deals.count() // SHORT_DEMAND_EVERY)
    # Spread over the ids (every 25th first), in two queries whatever the size.
    spread = open_deals.annotate(turn=Mod(F("pk"), SHORT_DEMAND_EVERY)).order_by("turn", "pk")
    moved = list(spread.values_list("pk", flat=True)[:take])
    for index, country in enumerate(countries):  # spread over APAC's countries
        Opportunity.objects.filter(pk__in=moved[index :: len(countries)]).update(
            industry=industry, country=country
        )
    through = Opportunity.products.through
    through.objects.bulk_create(
        [through(opportunity_id=deal, product_id=product.pk) for deal in moved], ignore_conflicts=True
    )
    return {"industry": industry.pk, "product": product.pk, "region": region.pk, "deals": len(moved)}


def over_used(ctx: DemoContext) -> list[int]:
    """Three active contacts at three active accounts, busy all year; returns their ids."""
    call = ActivityType.objects.filter(code="reference_call").first()
    if call is None:
        return []
    contacts, accounts = [], set()
    # Consent given before the year of activities, never withdrawn.
    candidates = Contact.objects.filter(
        status=ReferenceStatus.ACTIVE,
        account__status=ReferenceStatus.ACTIVE,
        preferences__opted_out=False,
        preferences__consent_given_at__date__lt=ctx.today - timedelta(days=400),
    )
    for contact in candidates.select_related("account").order_by("pk")[:50]:
        if contact.account_id not in accounts:
            contacts.append(contact)
            accounts.add(contact.account_id)
        if len(contacts) == OVER_USED:
            break
    manager_id = ctx.users["manager"].pk if "manager" in ctx.users else None
    today, activities, served = ctx.today, [], []
    for contact in contacts:
        for day_back in range(OVER_USED_EVERY_DAYS, 366, OVER_USED_EVERY_DAYS):
            activities.append(
                ReferenceActivity(
                    contact=contact,
                    account=contact.account,
                    activity_type=call,
                    occurred_on=today - timedelta(days=day_back),
                    duration_minutes=45,
                    recorded_by_id=manager_id,
                )
            )
    ReferenceActivity.objects.bulk_create(activities)
    for activity in activities:
        deal = (
            Opportunity.objects.filter(
                outcome__in=(DealOutcome.WON, DealOutcome.LOST),
                close_date__gt=activity.occurred_on,
                close_date__lte=activity.occurred_on + timedelta(days=60),
            )
            .order_by("close_date", "pk")
            .values_list("pk", flat=True)[activity.pk % 7 : activity.pk % 7 + 1]
        )
        served += [
            ReferenceActivity.opportunities.through(referenceactivity_id=activity.pk, opportunity_id=pk)
            for pk in deal
        ]
    ReferenceActivity.opportunities.through.objects.bulk_create(served, ignore_conflicts=True)
    return [contact.pk for contact in contacts]


def seed(ctx: DemoContext) -> None:
    started = time.perf_counter()
    segment = short_segment(ctx)
    busy = over_used(ctx)
    ctx.shared.update(demo_short_segment=segment, demo_over_used_contact_ids=busy)
    took = time.perf_counter() - started
    ctx.log(f"  story: short segment {segment}; {len(busy)} over-used contacts ({took:.1f} s)")
