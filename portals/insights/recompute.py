"""Recompute now: a manager asks for the revenue facts (insights.facts) to be rebuilt at once
rather than at beat's next run (after recording a large win, say). The worker rebuilds them (15 s at
100,000 accounts: not in the request); the revenue and goals pages' "as of" then moves. Executives
read those pages but do not start rebuilds (403)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.permissions import role_required
from core.roles import Role
from insights import facts

# The sections whose figures come from the facts (their SectionView says recompute=True).
FROM_FACTS = ("revenue", "goals")


class RecomputeForm(forms.Form):
    """The page to return to."""

    back = forms.ChoiceField(
        choices=[(slug, slug) for slug in FROM_FACTS],
        error_messages={"invalid_choice": "No such insights page to return to."},
    )


@role_required(Role.MANAGER)
@require_POST
def recompute_view(request: HttpRequest) -> HttpResponse:
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(f"back: {' '.join(form.errors['back'])}")
    if facts.refresh_soon():
        messages.success(
            request, "The revenue figures are being recomputed; reload this page in a minute to see them."
        )
    else:
        messages.error(request, "The figures could not be recomputed now; they refresh by themselves soon.")
    return redirect("insights:section", form.cleaned_data["back"])
