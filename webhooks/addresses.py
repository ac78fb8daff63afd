"""Where a webhook may go: http(s) URLs whose host resolves only to public internet addresses.

A subscriber's URL is checked when the subscription is saved and again at every delivery, and the
delivery connects to the very address it checked (`webhooks.transport`), so a name that resolves
to a public address at the check and to 127.0.0.1 a moment later (DNS rebinding) reaches nothing
inside. `WEBHOOKS_ALLOW_PRIVATE_URLS` lifts the address rule (a receiver on the same machine in
development and tests), never the scheme rule.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

SCHEMES = {"http": 80, "https": 443}
URL_SAFE = "/%:@!$&'()*+,;=-._~?"  # what a URL's path and query keep as they are


class UnsafeAddress(ValueError):
    """The URL may not be called: wrong scheme, no host, or an address outside the internet."""


class UnresolvedHost(UnsafeAddress):
    """The host has no address now (may be temporary: a delivery tries again later)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to `ip`, speak to `host` (Host header, TLS server name)."""

    scheme: str
    host: str
    port: int
    path: str
    ip: str


def is_public(address: str) -> bool:
    """Whether `address` is a public internet address (not private, loopback, link-local,
    multicast, reserved, unspecified, shared or documentation space), IPv4-mapped IPv6 included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is no help
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public(str(embedded)):
            return False
        if ip.is_site_local:  # fec0::/10: deprecated, still routed inside some networks
            return False
    refused = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return ip.is_global and not refused


def _split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeAddress(_("This is not a valid URL.")) from error
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UnsafeAddress(_("Webhook URLs must start with http:// or https://."))
    host = parts.hostname or ""
    if not host:
        raise UnsafeAddress(_("The URL names no host."))
    # Percent-encoded as a request line must be (an IRI's "ü" or a space would stop every send).
    path = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=URL_SAFE)
    return scheme, host, port or SCHEMES[scheme], path


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to now (an IP literal is its own)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise UnresolvedHost(_("The host %(host)s cannot be resolved.") % {"host": host}) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnresolvedHost(_("The host %(host)s cannot be resolved.") % {"host": host})
    return addresses


def check_url(url: str) -> Target:
    """The URL's target, checked: raises UnsafeAddress when it may not be called.

    Every address the host resolves to must be public (one private address among public ones is
    enough to refuse: which one a connection uses is not ours to choose)."""
    scheme, host, port, path = _split(url)
    addresses = resolve(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        private = [address for address in addresses if not is_public(address)]
        if private:
            raise UnsafeAddress(
                _("%(host)s resolves to %(address)s, an address outside the public internet; refused.")
                % {"host": host, "address": private[0]}
            )
    return Target(scheme=scheme, host=host, port=port, path=path, ip=addresses[0])
