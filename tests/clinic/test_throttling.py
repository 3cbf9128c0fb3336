"""
The API's throttle counts in fixed windows with one atomic increment, shared by every
process: requests arriving together are each counted, so exactly the allowance gets
through, in the database's table or in Redis alike.
"""

import threading

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.request import Request

from clinic.throttling import UserRateThrottle, count_hit, forget_ended_windows

ALLOWANCE = 5
RACERS = 16


@pytest.fixture(params=["database", "redis"])
def shared_counter(request, django_db_serialized_rollback, transactional_db):
    """The default cache as a server would have it: the database's (counts in the
    table) or Redis."""
    if request.param == "database":
        yield "database"
        return
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
        }
    }
    with override_settings(CACHES=redis_cache):
        assert not isinstance(caches["default"], DatabaseCache)
        yield "redis"


@pytest.fixture
def racing_counter(shared_counter):
    if shared_counter == "database" and connection.vendor == "sqlite":
        # The test database is SQLite's shared-cache memory database, which answers
        # "table is locked" at once where a file database waits its timeout.
        pytest.skip("threads cannot race on the in-memory SQLite test database")
    return shared_counter


def anonymous_request(address="203.0.113.7"):
    return Request(RequestFactory().get("/api/v1/patients/", REMOTE_ADDR=address))


def race(count, action):
    """Run ``action`` in ``count`` threads released at once; return their answers."""
    start = threading.Barrier(count)
    answers = [None] * count

    def run(index):
        start.wait()
        try:
            answers[index] = action()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_requests_racing_get_exactly_the_allowance(racing_counter, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": f"{ALLOWANCE}/hour"})

    answers = race(RACERS, lambda: UserRateThrottle().allow_request(anonymous_request(), None))

    assert answers.count(True) == ALLOWANCE
    assert answers.count(False) == RACERS - ALLOWANCE


def test_each_racing_hit_is_counted_once(racing_counter):
    answers = race(RACERS, lambda: count_hit("throttle_user_racers", 3600, 1_000_000.0)[0])

    assert sorted(answers) == list(range(1, RACERS + 1))


def test_clients_are_counted_apart(shared_counter):
    assert count_hit("throttle_user_a", 60, 1_000_000.0) == (1, 0, 1_000_020)
    assert count_hit("throttle_user_a", 60, 1_000_001.0) == (2, 0, 1_000_020)
    assert count_hit("throttle_user_b", 60, 1_000_001.0) == (1, 0, 1_000_020)


def test_a_new_window_starts_the_count_again(shared_counter):
    count_hit("throttle_user_a", 60, 1_000_000.0)
    count_hit("throttle_user_a", 60, 1_000_010.0)

    assert count_hit("throttle_user_a", 60, 1_000_020.0) == (1, 2, 1_000_080)
    assert count_hit("throttle_user_a", 60, 1_000_200.0) == (1, 0, 1_000_260)


def test_a_burst_across_the_turn_of_a_window_is_not_counted_afresh(db, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "4/minute"})
    times = iter([1_000_015.0] * 4 + [1_000_021.0])
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: next(times))
    throttle = UserRateThrottle()
    assert all(throttle.allow_request(anonymous_request(), None) for _ in range(4))

    # A second into the next minute, the last minute still holds the four.
    assert not throttle.allow_request(anonymous_request(), None)


def test_the_refused_hear_when_the_window_ends(monkeypatch, db):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/minute"})
    monkeypatch.setattr(UserRateThrottle, "timer", lambda self: 1_000_000.0)
    throttle = UserRateThrottle()
    assert throttle.allow_request(anonymous_request(), None)

    assert not throttle.allow_request(anonymous_request(), None)
    assert throttle.wait() == 20.0


def test_counting_in_the_database_is_one_query(db):
    with CaptureQueriesContext(connection) as queries:
        count_hit("throttle_user_a", 60, 1_000_000.0)
    assert len(queries) == 1


def test_ended_windows_are_forgotten(db):
    count_hit("throttle_user_gone", 60, 1_000_000.0)
    count_hit("throttle_user_here", 60, 1_000_050.0)

    forget_ended_windows(1_000_050.0 + 86400)

    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM glide_throttle")
        assert cursor.fetchall() == [("throttle_user_here",)]
