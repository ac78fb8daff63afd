"""Reads for the library's pages: one asset as a rep opens it, their own uses of it."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from marketing.models import Asset, AssetUse
from references.models import Account, Contact, Industry, Product, UseCase

# How many of the rep's own uses of an asset its page lists.
OWN_USES_SHOWN = 10


def library_asset(*, user, pk: int) -> Asset:
    """One published asset `user` may see (the sales library: content to use, whoever opens it),
    with its customers, people and taxonomies; 404 for any other."""
    assets = (
        Asset.objects.visible_to(user)
        .published()
        .prefetch_related(
            Prefetch("accounts", queryset=Account.objects.only("pk", "name").order_by("name")),
            Prefetch("contacts", queryset=Contact.objects.only("pk", "first_name", "last_name", "title")),
            Prefetch("products", queryset=Product.objects.order_by("name")),
            Prefetch("industries", queryset=Industry.objects.order_by("name")),
            Prefetch("use_cases", queryset=UseCase.objects.order_by("name")),
        )
    )
    return get_object_or_404(assets, pk=pk)


def own_uses(*, user, asset: Asset) -> QuerySet:
    """`user`'s latest uses of `asset`, with their deals (other reps' deals are not theirs to see)."""
    return (
        AssetUse.objects.filter(asset=asset, used_by=user)
        .select_related("opportunity")
        .order_by("-used_at", "-pk")[:OWN_USES_SHOWN]
    )


def has_shared(*, user, asset: Asset) -> bool:
    """Whether `user` recorded a use of `asset` by a link: the page shows a link only then, so
    every public link handed out has its use behind it."""
    return AssetUse.objects.filter(asset=asset, used_by=user, how=AssetUse.How.LINK).exists()
