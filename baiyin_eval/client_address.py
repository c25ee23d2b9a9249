"""The client address of a request: the one address login throttling (django-axes) and the audit
log both use.

`X-Forwarded-For` is anyone's to write. It is believed only when the request's peer (REMOTE_ADDR)
is one of settings.TRUSTED_PROXIES (addresses or CIDR networks, from DJANGO_TRUSTED_PROXIES), and
then read from its right-hand end: every entry a trusted proxy appended is skipped, and the first
address that is not a trusted proxy is the client. Anything to the left of that was written by the
client itself and is ignored. A peer that is not a trusted proxy is the client, whatever it sends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """ "10.0.0.2", "172.28.0.0/24", "::1" → networks; a wrong entry stops the start with its name."""
    networks = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: 无效的地址或网段 / invalid entry {value!r}") from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.5:51000"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def resolve_client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str | None:
    """The client address, given the TCP peer, the X-Forwarded-For header and the trusted proxies."""
    peer_address = _address(peer or "")
    if peer_address is None:
        return None
    if not forwarded_for or not _is_trusted(peer_address, trusted):
        return str(peer_address)
    client = peer_address
    for entry in reversed(forwarded_for.split(",")):
        hop = _address(entry)
        if hop is None:
            # A trusted proxy passed on something that is not an address: stop at the last hop we know.
            break
        client = hop
        if not _is_trusted(hop, trusted):
            break
    return str(client)


def client_address(request) -> str | None:
    """The request's client address (AXES_CLIENT_IP_CALLABLE and the audit log)."""
    trusted = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    meta = request.META
    return resolve_client_address(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"), trusted)


def peer_is_trusted_proxy(request) -> bool:
    """Whether the request's TCP peer is one of settings.TRUSTED_PROXIES."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    return peer is not None and _is_trusted(peer, _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))


class ForwardedProtoMiddleware:
    """`X-Forwarded-Proto` is anyone's to write too: SECURE_PROXY_SSL_HEADER (production) would let a
    client that reaches gunicorn straight over plain HTTP claim HTTPS — no redirect to HTTPS, and the
    request treated as secure. The header is dropped unless the peer is a trusted proxy, before
    SecurityMiddleware or anything else reads request.is_secure()."""

    HEADER = "HTTP_X_FORWARDED_PROTO"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.HEADER in request.META and not peer_is_trusted_proxy(request):
            del request.META[self.HEADER]
        return self.get_response(request)
