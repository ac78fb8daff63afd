"""System checks of RMS's own settings (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Warning, register

PROXY_COUNT_UNSET = Warning(
    "RMS trusts X-Forwarded-Proto from a reverse proxy (SECURE_PROXY_SSL_HEADER) but "
    "TRUSTED_PROXY_COUNT is 0, so behind that proxy every client has the proxy's address: "
    "SIGNIN_FAILURES_PER_ADDRESS failed sign-ins from anyone would lock password sign-in for "
    "everyone, and the password-reset limit per client would be shared by all.",
    hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of RMS.",
    id="rms.W001",
)


@register(deploy=True)
def client_address_behind_a_proxy(app_configs, **kwargs):
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT == 0:
        return [PROXY_COUNT_UNSET]
    return []
