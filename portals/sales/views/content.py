"""The content library as a rep uses it: find published assets they may use, open one, use it on
a deal or a campaign (download it, share a public link, or note another use), each use recorded.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from marketing.forms import AssetUseForm
from marketing.library import has_shared, library_asset, own_uses
from marketing.models import Asset, AssetUse
from marketing.sharing import share_token, shareable_now
from marketing.uses import asset_use_record, use_summary
from portals.shared.downloads import asset_file_response, open_asset_file
from portals.shared.library import library_context


@role_required(Role.SALES)
@require_GET
def content_list(request: HttpRequest) -> HttpResponse:
    """Published assets the rep may use (never one under NDA), searched and filtered."""
    return render(
        request, "portals/sales/content_list.html", library_context(request, "content", published_only=True)
    )


class _LinkShownForm(forms.Form):
    link = forms.BooleanField(required=False)


@role_required(Role.SALES)
@require_GET
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = library_asset(user=request.user, pk=pk)
    shown = _LinkShownForm(request.GET)
    show_link = shown.is_valid() and shown.cleaned_data["link"]
    return render(request, "portals/sales/asset_detail.html", _context(request, asset, show_link=show_link))


def _context(
    request: HttpRequest, asset: Asset, *, form: AssetUseForm | None = None, show_link=False
) -> dict:
    shareable = shareable_now().filter(pk=asset.pk).exists()
    share_url = ""
    if show_link and shareable and has_shared(user=request.user, asset=asset):
        share_url = request.build_absolute_uri(reverse("shared:asset", args=[share_token(asset)]))
    return {
        "section": "content",
        "asset": asset,
        "summary": use_summary(asset),
        "form": form or AssetUseForm(user=request.user),
        "shareable": shareable,
        "share_url": share_url,
        "uses": own_uses(user=request.user, asset=asset),
        "How": AssetUse.How,
    }


@role_required(Role.SALES)
@require_POST
def asset_use(request: HttpRequest, pk: int) -> HttpResponse:
    """Use the asset on a deal or for a campaign: download it (the file comes back), share a
    public link (the page shows it), or note another use. Every one is recorded first."""
    asset = library_asset(user=request.user, pk=pk)
    form = AssetUseForm(request.POST, user=request.user)
    if form.is_valid():
        how = form.cleaned_data["how"]
        opened = open_asset_file(asset) if how == AssetUse.How.DOWNLOAD else None
        try:
            asset_use_record(
                asset=asset,
                user=request.user,
                how=how,
                opportunity=form.cleaned_data["opportunity"],
                campaign=form.cleaned_data["campaign"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            if opened:
                opened.close()
            form.add_domain_error(error)
            context = _context(request, asset, form=form)
            return render(request, "portals/sales/asset_detail.html", context, status=error.http_status)
        if opened:
            return asset_file_response(asset, opened)
        url = reverse("sales:asset", args=[asset.pk])
        return redirect(f"{url}?link=1" if how == AssetUse.How.LINK else url)
    return render(request, "portals/sales/asset_detail.html", _context(request, asset, form=form), status=400)
