"""
The address a request came from, for the audit trail, the API's throttles and the
sign-in lockout alike.

``X-Forwarded-For`` is written by whoever sends the request, so by default it is not
read at all: the client is the socket's peer (``REMOTE_ADDR``). Behind a load balancer
or reverse proxy, the settings name the proxies Glide may believe:

- ``TRUSTED_PROXIES``: addresses or networks (``10.0.0.0/8``, ``2001:db8::/32``) of
  the proxies;
- ``TRUSTED_PROXY_COUNT``: how many proxies stand in front of Glide on every path
  (only when Glide cannot be reached around them).

Each trusted proxy appends the address it was connected from to the header, so the
chain is read from the right, the nearest hop first: the socket's peer, then the
header's entries from its end. The client is the first hop that is not a trusted
proxy. Entries to the left of it were written by the client and are never read: an
invented address there neither escapes a throttle nor reaches the audit trail.
"""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def parse_trusted_proxies(proxies):
    """The networks of ``TRUSTED_PROXIES``; a value that is not an address or a network
    raises ``ValueError`` naming it."""
    return _networks(tuple(proxies))


def _address(text):
    """An address from a hop, which some proxies write with a port (``1.2.3.4:5678``,
    ``[2001:db8::1]:443``); ``None`` when it is not an address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request):
    """The client's address as a string, or ``None`` when the request has none."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", ()))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not networks and not count:
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [peer, *(_address(entry) for entry in reversed(forwarded.split(",")) if entry.strip())]
    client = peer
    for position, hop in enumerate(hops, start=1):
        if hop is None:
            break  # not an address: the hop before it is the last one known
        client = hop
        trusted = position <= count or any(hop in network for network in networks)
        if not trusted:
            break
    return str(client)
