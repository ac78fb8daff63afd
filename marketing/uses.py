"""Recording each use of an asset, and what the uses add up to ("used 14 times, in deals worth
$2.3M").

A use names one of the user's own deals (open or won: `Opportunity.objects.visible_to`) or a
campaign, and how the asset went out (downloaded, a shared link, otherwise). Only an asset the
user may see can be used, and only a shareable one (published and public) by a link.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet, Sum

from core.errors import InvalidInput, NotAllowed
from marketing.models import Asset, AssetUse
from marketing.sharing import shareable_now
from references.currency import amount_in_usd
from references.models import DealOutcome, Opportunity


@transaction.atomic
def asset_use_record(
    *,
    asset: Asset,
    user,
    how: str,
    opportunity: Opportunity | None = None,
    campaign: str = "",
    note: str = "",
) -> AssetUse:
    """Record that `user` used `asset` on `opportunity` or for `campaign`, `how`."""
    campaign = campaign.strip()
    if not Asset.objects.visible_to(user).published().filter(pk=asset.pk).exists():
        raise NotAllowed("This asset is not in your library, or no longer published.")
    if how not in AssetUse.How.values:
        raise InvalidInput("Choose how you used it.", field="how")
    if how == AssetUse.How.LINK and not shareable_now().filter(pk=asset.pk).exists():
        raise NotAllowed("Only a published, public asset may be shared by a link.", field="how")
    if (opportunity is None) == (not campaign):
        raise InvalidInput("Name one deal or one campaign.", field="opportunity")
    if opportunity is not None and not _usable(user).filter(pk=opportunity.pk).exists():
        raise NotAllowed("You can record a use only on your own open or won deals.", field="opportunity")
    return AssetUse.objects.create(
        asset=asset, used_by=user, opportunity=opportunity, campaign=campaign, how=how, note=note
    )


def _usable(user) -> QuerySet:
    return Opportunity.objects.visible_to(user).exclude(outcome=DealOutcome.LOST)


@dataclass(frozen=True)
class UseSummary:
    """What an asset's uses add up to."""

    uses: int
    deals: int  # distinct open or won deals it was used on
    worth_usd: Decimal  # their amounts, in US dollars (deals in a currency without a rate left out)
    unpriced: int  # of those deals, how many have a currency without a rate

    @property
    def worth_text(self) -> str:
        """The worth as people say it: "$950", "$120K", "$2.3M"."""
        return money_text(self.worth_usd)


def money_text(amount: Decimal) -> str:
    for size, suffix in ((Decimal(10**9), "B"), (Decimal(10**6), "M"), (Decimal(10**3), "K")):
        if amount >= size:
            shown = (amount / size).quantize(Decimal("0.1"))
            return f"${shown.normalize():f}{suffix}" if shown < 100 else f"${int(amount / size)}{suffix}"
    return f"${int(amount)}"


def use_summary(asset: Asset) -> UseSummary:
    """How often `asset` was used, and the worth of the distinct deals it was used on that are
    open or won (a lost deal is worth nothing now), converted to US dollars with the currency
    rates (`references.currency`). Two queries."""
    uses = AssetUse.objects.filter(asset=asset).count()
    used_on = AssetUse.objects.filter(asset=asset, opportunity__isnull=False).values("opportunity_id")
    deals = Opportunity.objects.filter(pk__in=used_on).exclude(outcome=DealOutcome.LOST)
    totals = deals.annotate(usd=amount_in_usd()).aggregate(
        deals=Count("pk"), worth=Sum("usd"), priced=Count("usd")
    )
    return UseSummary(
        uses=uses,
        deals=totals["deals"],
        worth_usd=(totals["worth"] or Decimal(0)).quantize(Decimal("1")),
        unpriced=totals["deals"] - totals["priced"],
    )
