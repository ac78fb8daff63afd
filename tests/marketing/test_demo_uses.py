"""The demo's uses: on published assets reps may use, on the reps' own open or won deals."""

import io
import random
from datetime import timedelta

from django.utils import timezone

from core.demo_pipeline import DemoContext
from marketing.demo_uses import seed_uses
from marketing.models import AssetUse
from marketing.statuses import AssetStatus, UsageRights
from references.models import DealOutcome
from tests.builders import catalogue as factories
from tests.builders.library import make_asset


def test_demo_uses_follow_the_rules_and_lie_in_the_past(sales_rep, other_rep, marketer):
    ctx = DemoContext(rng=random.Random(3), accounts=1, today=timezone.localdate(), stdout=io.StringIO())
    ctx.users = {"sales": sales_rep, "sales2": other_rep, "marketing": marketer}
    public = [make_asset(marketer, title=f"Public {n}") for n in range(6)]
    internal = make_asset(marketer, title="Internal", rights=UsageRights.INTERNAL)
    secret = make_asset(marketer, title="Secret", rights=UsageRights.NDA)
    draft = make_asset(marketer, title="Draft", status=AssetStatus.DRAFT)
    for rep in (sales_rep, other_rep):
        factories.make_opportunity(rep)
        factories.make_opportunity(rep, outcome=DealOutcome.WON)
        factories.make_opportunity(rep, outcome=DealOutcome.LOST)

    made = seed_uses(ctx)

    assert made and AssetUse.objects.count() == len(made)
    used = set(AssetUse.objects.values_list("asset_id", flat=True))
    assert used <= {a.pk for a in [*public, internal]} and not used & {secret.pk, draft.pk}
    for use in AssetUse.objects.select_related("opportunity"):
        if use.opportunity:
            assert use.opportunity.owner_id == use.used_by_id
            assert use.opportunity.outcome != DealOutcome.LOST
        assert use.used_at <= timezone.now() and use.used_at >= timezone.now() - timedelta(days=121)
    assert not AssetUse.objects.filter(asset=internal, how=AssetUse.How.LINK).exists()
