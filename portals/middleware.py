"""Pages show times in the signed-in staff user's zone (workflows.zones), else settings.TIME_ZONE."""

from django.utils import timezone

from workflows.zones import zone_of


class StaffTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with timezone.override(zone_of(user)):
            return self.get_response(request)
