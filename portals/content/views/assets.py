"""Marketing's asset pages: create, see (with its approval actions and history), edit a draft,
and take a workflow action."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from marketing.models import Asset
from marketing.rights import last_day_permitted
from marketing.selectors import asset_page
from marketing.services import asset_create, asset_update
from portals.content.forms import AssetActionForm, AssetForm
from portals.shared.downloads import asset_file_response
from portals.shared.responses import render_refused
from workflows.content_approval import asset_transition, available_actions

KEEPERS = (Role.MARKETING, Role.MANAGER)


def _asset_or_404(request: HttpRequest, pk: int) -> Asset:
    try:
        return asset_page(request.user, pk)
    except Asset.DoesNotExist:
        raise Http404("No such asset.") from None


def _detail_context(request: HttpRequest, asset: Asset) -> dict:
    return {
        "asset": asset,
        "actions": available_actions(asset, request.user),
        "ends_on": last_day_permitted(asset),
        "today": timezone.localdate(),
        "section": "assets",
    }


def _save(request: HttpRequest, form: AssetForm, asset: Asset | None, template: str, context: dict):
    upload = form.cleaned_data.get("upload") or None
    try:
        if asset is None:
            asset = asset_create(actor=request.user, data=form.asset_data(), upload=upload)
        else:
            asset = asset_update(actor=request.user, asset=asset, data=form.asset_data(), upload=upload)
    except DomainError as error:
        form.add_domain_error(error)
        return render(request, template, context, status=error.http_status)
    messages.success(request, f"Saved “{asset.title}”.")
    return redirect("content:asset", pk=asset.pk)


@role_required(*KEEPERS)
def asset_new(request: HttpRequest) -> HttpResponse:
    form = AssetForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form, "section": "new"}
    if request.method == "POST" and form.is_valid():
        return _save(request, form, None, "portals/content/asset_form.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "portals/content/asset_form.html", context, status=status)


@role_required(*KEEPERS)
@require_GET
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset_or_404(request, pk)
    return render(request, "portals/content/asset_detail.html", _detail_context(request, asset))


@role_required(*KEEPERS)
@require_GET
def asset_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The asset's file, whatever its status: legal review and the customer's approval read it
    before it is published. Keepers' reading is not a use (uses are the reps', on deals)."""
    return asset_file_response(_asset_or_404(request, pk))


@role_required(*KEEPERS)
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Only a draft is edited (what a customer approved stays what they approved)."""
    asset = _asset_or_404(request, pk)
    if not asset.is_draft:
        messages.error(request, "Only a draft is edited: send the asset back to draft first.")
        return render(
            request, "portals/content/asset_detail.html", _detail_context(request, asset), status=409
        )
    form = AssetForm(request.POST or None, request.FILES or None, instance=asset, user=request.user)
    context = {"form": form, "asset": asset, "section": "assets"}
    if request.method == "POST" and form.is_valid():
        return _save(request, form, asset, "portals/content/asset_form.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "portals/content/asset_form.html", context, status=status)


@role_required(*KEEPERS)
def asset_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One action of the approval table (the buttons on the asset's page)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    asset = _asset_or_404(request, pk)
    form = AssetActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an action on the page.")
        return render(
            request, "portals/content/asset_detail.html", _detail_context(request, asset), status=400
        )
    data = form.cleaned_data
    try:
        asset_transition(
            asset_id=asset.pk,
            action=data["action"],
            actor=request.user,
            note=data["note"],
            expected_status=data["expected_status"] or None,
        )
    except DomainError as error:
        asset = asset_page(request.user, pk)  # as it is now
        return render_refused(
            request, "portals/content/asset_detail.html", _detail_context(request, asset), error
        )
    messages.success(request, "Done.")
    return redirect("content:asset", pk=pk)
