"""The API's throttles, counting per client by the address ``clinic.proxies`` gives
(the socket's peer unless a trusted proxy forwarded the request), in a counter every
process and server shares.

DRF's own throttles read a list of past request times from the cache and write it
back, so requests arriving together each read the same list and all get through.
These count in fixed windows with one atomic increment instead: the window of a
``10/minute`` rate is the current minute, and its count is raised and read in one
step, so N simultaneous requests are counted N times and exactly the allowance
passes. The previous window's count, weighted by the share of it the last minute
still covers, is added, so a burst across the turn of a minute is not counted
afresh (the usual sliding-window estimate).

The counter lives in Redis when the default cache is Redis (``REDIS_URL``):
``add`` then ``incr`` on a key naming the window, both atomic there. Otherwise it is
one row per client in the table ``glide_throttle`` (clinic's migrations), raised by
one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: Django's database
cache has no atomic increment (it reads and writes back, in about four queries). On
PostgreSQL the table is unlogged: a count is worth nothing after a crash, and its
commit does not wait for the disk.
"""

import math
import threading
import time

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from rest_framework import throttling

from .proxies import client_ip

# Rows of ended windows are deleted at most this often by each process, once they
# can no longer be a previous window (DRF's longest period is a day).
FORGET_ENDED_WINDOWS_EVERY = 3600.0
LONGEST_PERIOD = 86400

_COUNT = """
    INSERT INTO glide_throttle (key, window_ends, hits, previous_hits) VALUES (%s, %s, 1, 0)
    ON CONFLICT (key) DO UPDATE SET
        previous_hits = CASE
            WHEN glide_throttle.window_ends = excluded.window_ends THEN glide_throttle.previous_hits
            WHEN glide_throttle.window_ends = excluded.window_ends - %s THEN glide_throttle.hits
            ELSE 0 END,
        hits = CASE WHEN glide_throttle.window_ends = excluded.window_ends
                    THEN glide_throttle.hits + 1 ELSE 1 END,
        window_ends = excluded.window_ends
    RETURNING hits, previous_hits
"""
_forget_lock = threading.Lock()
_next_forget = time.time() + FORGET_ENDED_WINDOWS_EVERY


def count_in_database(key, window_ends, duration):
    """The hits of ``key`` in the window ending at ``window_ends`` (epoch seconds),
    this one included, and in the window before it."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [key, window_ends, duration])
        hits, previous_hits = cursor.fetchone()
    return hits, previous_hits


def forget_ended_windows(now):
    """Delete the rows of windows that ended longer ago than the longest period: one
    per client that has not called since, so the table holds about as many rows as
    there are recent clients."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM glide_throttle WHERE window_ends <= %s", [int(now) - LONGEST_PERIOD])


def forget_all_counts():
    """Delete every count (tests start from none, as they start from an empty cache)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM glide_throttle")


def _forget_ended_windows_now_and_then(now):
    global _next_forget
    with _forget_lock:
        if now < _next_forget:
            return
        _next_forget = now + FORGET_ENDED_WINDOWS_EVERY
    forget_ended_windows(now)


def count_in_cache(key, window_ends, duration, now):
    """As ``count_in_database``, in the default cache (Redis). The key names the
    window and outlives the next one, so ``incr`` never meets an expired key inside
    its window and the next window can read it."""
    window_key = f"{key}:{window_ends}"
    timeout = math.ceil(window_ends - now) + duration + 1
    previous_hits = cache.get(f"{key}:{window_ends - duration}", 0)
    if cache.add(window_key, 1, timeout):
        return 1, previous_hits
    try:
        return cache.incr(window_key), previous_hits
    except ValueError:  # expired between the two calls: this is a new window's first hit
        cache.add(window_key, 1, timeout)
        return 1, previous_hits


def count_hit(key, duration, now):
    """Count one hit for ``key`` in the fixed window of ``duration`` seconds that holds
    ``now``; return the window's hits so far, the previous window's, and the time the
    window ends."""
    window_ends = (int(now) // duration + 1) * duration
    if isinstance(caches["default"], DatabaseCache):
        hits, previous_hits = count_in_database(key, window_ends, duration)
        _forget_ended_windows_now_and_then(now)
    else:
        hits, previous_hits = count_in_cache(key, window_ends, duration, now)
    return hits, previous_hits, window_ends


class SharedCounterThrottle(throttling.SimpleRateThrottle):
    """``SimpleRateThrottle`` with an atomic fixed-window count instead of its history;
    rates, scopes and cache keys stay DRF's."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        hits, previous_hits, self.window_ends = count_hit(self.key, self.duration, self.now)
        # The last ``duration`` seconds: this window's hits, and the previous window's
        # in the share of it those seconds still cover.
        still_covered = (self.window_ends - self.now) / self.duration
        return hits + previous_hits * still_covered <= self.num_requests

    def wait(self):
        """Seconds until the window ends, sent as ``Retry-After``."""
        return max(self.window_ends - self.now, 1)


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or ""


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle, SharedCounterThrottle):
    """A view's own rate (its ``throttle_scope``, e.g. ``login``), per user or per
    address."""


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle, SharedCounterThrottle):
    """Every API call: per signed-in user, or per address for anonymous calls."""
