"""How often the API may be called: per API key (`API_KEY_RATE`) and per user, whatever they call
with (`API_USER_RATE`), counted in the default cache — Redis when REDIS_URL is set, so every web
process shares the count.

A call past a rate is a 429 in the API's error body (code `throttled`) with `Retry-After`. The
rates are read from the settings at each call (not frozen into the class when it is imported as
DRF's are), so a test or an operator's override takes effect at once. While the cache cannot be
reached the call is let through (a warning): an outage of the cache must not stop the API.
"""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.cache import CACHE_ERRORS
from integrations.models import ApiKey

logger = logging.getLogger(__name__)


class _SettingRateThrottle(SimpleRateThrottle):
    setting: str = ""

    def get_rate(self) -> str:
        return getattr(settings, self.setting)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as error:
            logger.warning(
                "API throttle skipped, the cache is unreachable: %s: %s", type(error).__name__, error
            )
            return True


class KeyRateThrottle(_SettingRateThrottle):
    """Calls made with one API key (its prefix, unique, names it in the cache)."""

    scope = "api_key"
    setting = "API_KEY_RATE"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None  # a session: counted per user only
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


class UserRateThrottle(_SettingRateThrottle):
    """Calls made by one signed-in user, with any of their keys or their session."""

    scope = "api_user"
    setting = "API_USER_RATE"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # refused before any throttle (401)
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
