"""Demo uses of the library: reps used the published assets on their demo deals and in a few
campaigns, over the last months, so the use counts and "in deals worth $X" have figures.

`seed_uses(ctx)` runs after the assets' demo (`marketing/demo.py`, which calls it): it reads the
published assets that made. Every use goes through `asset_use_record`, so each one is a use
the rules allow (the rep's own open or won deal; a link only for a public asset).
"""

from datetime import timedelta

from core.demo_pipeline import DemoContext
from marketing.models import Asset, AssetUse
from marketing.uses import asset_use_record
from references.models import DealOutcome, Opportunity

CAMPAIGNS = ("Spring launch webinar", "Banking summit follow-up", "Analyst day deck")
MIN_USES_PER_ASSET, MAX_USES_PER_ASSET = 3, 12


def seed_uses(ctx: DemoContext) -> list[AssetUse]:
    reps = [ctx.users[name] for name in ("sales", "sales2") if name in ctx.users]
    assets = list(Asset.objects.published().exclude(usage_rights=Asset.Rights.NDA).order_by("pk"))
    if not reps or not assets:
        return []
    deals = {
        rep.pk: list(
            Opportunity.objects.filter(owner=rep).exclude(outcome=DealOutcome.LOST).order_by("pk")[:40]
        )
        for rep in reps
    }
    made = []
    for asset in assets:
        for _ in range(ctx.rng.randint(MIN_USES_PER_ASSET, MAX_USES_PER_ASSET)):
            made.append(_use(ctx, asset, ctx.rng.choice(reps), deals))
    made = [use for use in made if use is not None]
    # Spread over the last 120 days (recorded now, dated as if used then).
    for use in made:
        use.used_at = ctx.now - timedelta(days=ctx.rng.randint(0, 120), minutes=ctx.rng.randint(0, 600))
    AssetUse.objects.bulk_update(made, ["used_at"])
    ctx.log(f"  {len(made)} uses of {len(assets)} published assets")
    return made


def _use(ctx: DemoContext, asset: Asset, rep, deals: dict) -> AssetUse | None:
    own = deals.get(rep.pk) or []
    hows = [AssetUse.How.DOWNLOAD, AssetUse.How.OTHER]
    if asset.usage_rights == Asset.Rights.PUBLIC:
        hows.append(AssetUse.How.LINK)
    how = ctx.rng.choice(hows)
    if not asset.file and how == AssetUse.How.DOWNLOAD:
        how = AssetUse.How.OTHER
    if own and ctx.rng.random() < 0.85:
        return asset_use_record(asset=asset, user=rep, how=how, opportunity=ctx.rng.choice(own))
    return asset_use_record(asset=asset, user=rep, how=how, campaign=ctx.rng.choice(CAMPAIGNS))
