"""A public link to an asset, opened by anyone (a prospect, without signing in): the asset's
page and its file, only while the asset may be shared (`marketing.sharing.shared_asset`)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketing.models import Asset
from marketing.sharing import shared_asset
from portals.shared.downloads import asset_file_response


def _asset(token: str) -> Asset:
    asset = shared_asset(token)
    if asset is None:
        raise Http404("This link does not open anything (any more).")
    return asset


@require_GET
def asset_page(request: HttpRequest, token: str) -> HttpResponse:
    asset = _asset(token)
    context = {"asset": asset, "accounts": asset.accounts.order_by("name"), "token": token}
    return render(request, "portals/shared_links/asset.html", context)


@require_GET
def asset_file(request: HttpRequest, token: str) -> HttpResponse:
    return asset_file_response(_asset(token))
