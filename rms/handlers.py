"""The site's 404 and 500 answers: the API's JSON error body under /api/, Django's pages elsewhere."""

from django.views import defaults

from api.errors import api_not_found, api_server_error

API_PREFIX = "/api/"


def not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return api_server_error(request)
    return defaults.server_error(request)
