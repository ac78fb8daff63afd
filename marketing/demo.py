"""Demo content library: an asset of every kind in every status (through the services and the
workflow's writer, so each has its history), account permissions granted, denied, unknown,
expired and expiring, and a few published assets near their end so the expiry warnings show.
Dates from `ctx.today`."""

from datetime import timedelta

from core.demo_pipeline import DemoContext
from marketing.demo_uses import seed_uses
from marketing.expiry import assets_expire
from marketing.models import Asset
from marketing.moves import assets_move
from marketing.permissions import permission_set
from marketing.services import AssetData, asset_create
from marketing.statuses import (
    NEEDED_PERMISSION,
    AssetAction,
    AssetKind,
    AssetStatus,
    PermissionKind,
    PermissionState,
    UsageRights,
)
from references.models import Account

S, A = AssetStatus, AssetAction
# How an asset usually reaches each status: (action, from, to, note).
PATH = {
    S.DRAFT: [],
    S.CUSTOMER_APPROVAL: [(A.SUBMIT, S.DRAFT, S.CUSTOMER_APPROVAL, "")],
    S.LEGAL_REVIEW: [
        (A.SUBMIT, S.DRAFT, S.CUSTOMER_APPROVAL, ""),
        (A.CUSTOMER_APPROVED, S.CUSTOMER_APPROVAL, S.LEGAL_REVIEW, "Approved by email to the account team."),
    ],
}
PATH[S.PUBLISHED] = [*PATH[S.LEGAL_REVIEW], (A.PUBLISH, S.LEGAL_REVIEW, S.PUBLISHED, "")]
PATH[S.EXPIRED] = [*PATH[S.PUBLISHED], (A.EXPIRE, S.PUBLISHED, S.EXPIRED, "Its review-by date passed.")]
PATH[S.WITHDRAWN] = [
    *PATH[S.CUSTOMER_APPROVAL],
    (A.WITHDRAW, S.CUSTOMER_APPROVAL, S.WITHDRAWN, "The champion left."),
]

RIGHTS = [UsageRights.PUBLIC, UsageRights.PUBLIC, UsageRights.INTERNAL, UsageRights.NDA]
QUOTES = [
    "We cut our month-end close from ten days to three.",
    "The rollout took six weeks, not the six months we planned.",
    "Support answered before we had finished describing the problem.",
]


def _permissions(ctx: DemoContext, accounts: list[Account], author) -> int:
    """Grants for most accounts (some ending soon, some already past), a few denials and unknowns."""
    written, today = 0, ctx.today
    for i, account in enumerate(accounts):
        for kind in PermissionKind.values:
            roll = ctx.rng.random()
            if roll < 0.15:
                continue  # never asked: unknown
            state = (
                PermissionState.UNKNOWN
                if roll < 0.2  # asked, no answer yet
                else PermissionState.DENIED
                if roll < 0.3
                else PermissionState.GRANTED
            )
            expires = None
            if state == PermissionState.GRANTED and i % 7 == 3:
                expires = today - timedelta(days=10)  # lapsed: counts as unknown
            elif state == PermissionState.GRANTED and i % 5 == 1:
                expires = today + timedelta(days=ctx.rng.choice([6, 25, 200]))
            permission_set(
                actor=author,
                account=account,
                kind=kind,
                state=state,
                expires_on=expires,
                source_note="Signed marketing release, filed with the contract."
                if expires
                else "Agreed on a call.",
            )
            written += 1
    return written


def _walk(asset: Asset, status: str, author, approver, now) -> None:
    for action, source, target, note in PATH[status]:
        actor = None if action == A.EXPIRE else approver if action == A.PUBLISH else author
        assets_move(
            asset_ids=[asset.pk],
            from_status=source,
            to_status=target,
            action=action,
            actor=actor,
            note=note,
            now=now,
        )


def _grant_needed(asset_kind: str, account: Account, author, expires_on) -> None:
    permission_set(
        actor=author,
        account=account,
        kind=NEEDED_PERMISSION[asset_kind],
        state=PermissionState.GRANTED,
        expires_on=expires_on,
        source_note="Signed marketing release.",
    )


def _asset(ctx: DemoContext, kind: str, status: str, account: Account, n: int, author, approver) -> Asset:
    review_by = ctx.today + timedelta(
        days=ctx.rng.choice([5, 20, 90, 180, 365]) if status == S.PUBLISHED else 365
    )
    data = AssetData(
        title=f"{account.name}: {AssetKind(kind).label.lower()}",
        kind=kind,
        owner=author,
        usage_rights=RIGHTS[n % len(RIGHTS)],
        summary=f"How {account.name} uses us, in their own words.",
        quote_text=QUOTES[n % len(QUOTES)] if kind == AssetKind.QUOTE else "",
        link_url=f"https://videos.example.com/{account.pk}" if kind == AssetKind.VIDEO else "",
        review_by=review_by,
        accounts=[account],
        industries=[account.industry],
        products=list(account.products.all()[:2]),
        use_cases=list(account.use_cases.all()[:2]),
    )
    asset = asset_create(actor=author, data=data)
    if status in (S.PUBLISHED, S.EXPIRED):
        ending = ctx.today + timedelta(days=25) if n % 3 == 0 else None  # a consent ending soon
        _grant_needed(kind, account, author, ending)
    _walk(asset, status, author, approver, ctx.now)
    if status == S.EXPIRED:
        Asset.objects.filter(pk=asset.pk).update(review_by=ctx.today - timedelta(days=3))
    return asset


def seed(ctx: DemoContext) -> None:
    """See the module docstring."""
    author, approver = ctx.users.get("marketing"), ctx.users.get("manager")
    accounts = list(Account.objects.select_related("industry").order_by("pk")[:60])
    if not (author and approver and accounts):
        return
    granted = _permissions(ctx, accounts[:40], author)
    n = 0
    for kind in AssetKind.values:
        for status in AssetStatus.values:
            _asset(ctx, kind, status, accounts[(n * 7) % len(accounts)], n, author, approver)
            n += 1
    result = assets_expire(today=ctx.today)
    uses = seed_uses(ctx)  # reps' uses of what is now published, on their deals
    ctx.log(
        f"  marketing: {n} assets, {granted} permissions; the expiry job unpublished {result.expired} "
        f"and warned about {result.warned}; {len(uses)} uses"
    )
