"""A staff user's own page, /profile/: their API keys — made (the key shown once, on the answer
to the POST, never stored or shown again) and revoked."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from core.errors import DomainError
from core.permissions import role_required
from core.roles import PROGRAM_ROLES
from integrations.keys import api_key_create, api_key_revoke, api_keys_of
from portals.profile.forms import ApiKeyForm

EVERY_ROLE = PROGRAM_ROLES  # an executive reads insights only: no API to hold a key for


@never_cache  # the answer to a POST holds a new key: no cache may keep it (no-store)
@role_required(*EVERY_ROLE)
def profile(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None, user=request.user)
    created = raw_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, raw_key = api_key_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                form = ApiKeyForm(user=request.user)
        if raw_key is None:
            status = 400
    context = {"form": form, "keys": api_keys_of(request.user), "created": created, "raw_key": raw_key}
    return render(request, "profile/keys.html", context, status=status)


@never_cache
@role_required(*EVERY_ROLE)
def key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    """GET asks to confirm; POST revokes. Another user's key is a 404."""
    key = get_object_or_404(api_keys_of(request.user), prefix=prefix)
    if request.method == "POST":
        api_key_revoke(key=key)
        messages.success(
            request, f"The key “{key.name}” ({key.prefix}…) is revoked: it is refused from now on."
        )
        return redirect("profile:home")
    return render(request, "profile/key_revoke.html", {"key": key})
