"""The client's address: REMOTE_ADDR, or behind a trusted proxy the address that proxy forwarded.

X-Forwarded-For is believed only when REMOTE_ADDR is one of settings.TRUSTED_PROXIES (addresses or CIDR
networks). Each proxy appends the address it got the request from, so the client is the right-most
forwarded address that is not a trusted proxy; anything further left is whatever the client wrote itself.
"""

import ipaddress

from django.conf import settings


def _networks() -> list:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address rate limits count and audit rows record."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks() if remote else []
    address = _address(remote) if networks else None
    if address is None or not any(address in network for network in networks):
        return remote
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _address(entry)
        if hop is None:
            break  # no address where a proxy should have written one: trust nothing to its left
        client = str(hop)
        if not any(hop in network for network in networks):
            break
    return client
