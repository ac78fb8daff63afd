"""The customer portal's front page and signing in."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portals.customer.access import public_portal_page


@require_safe
@public_portal_page
def home(request):
    """What the portal is for, and the promise that makes a request checkable: no ask without a code."""
    return render(request, "portals/customer/home.html", {"company": settings.COMPANY_NAME})


@public_portal_page
def sign_in(request):
    return render(request, "portals/customer/sign_in.html", {"company": settings.COMPANY_NAME})
