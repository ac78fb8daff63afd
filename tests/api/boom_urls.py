"""The site's URLs (and its error handlers) plus an API route and a page that fail, for the 500
answers' tests."""

from django.urls import path

from rms.urls import handler404, handler500  # noqa: F401
from rms.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("A bug in a view")


urlpatterns = [path("api/boom/", boom), path("boom/", boom), *site_urlpatterns]
