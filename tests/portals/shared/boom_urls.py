"""The site's URLs plus one page that fails, for the 500 page's test."""

from django.urls import path

from rms.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("A bug in a view")


urlpatterns = [*site_urlpatterns, path("boom/", boom)]
