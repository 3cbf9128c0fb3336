"""The API's throttles, counting per client by the address ``clinic.proxies`` gives
(the socket's peer unless a trusted proxy forwarded the request), and in Django's
default cache, which every process and server shares (see ``CACHES`` in the
settings)."""

from rest_framework import throttling

from .proxies import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or ""


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    """A view's own rate (its ``throttle_scope``, e.g. ``login``), per user or per
    address."""


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    """Every API call: per signed-in user, or per address for anonymous calls."""
