"""
Two gunicorn servers over one database and one Redis, as behind a load balancer:
password guesses spread over both lock an account after the same count as on one.
(An export started on one server and polled on the other is in
``tests/interop/test_bulk_export_worker.py``.)

Skipped where no Redis answers, except on CI (``GLIDE_REQUIRE_SERVICES=1``).
"""

import json

import pytest

from ..interop.processes import gunicorn, manage, request, require_redis, scratch_database

LIMIT = 4
DEMO_PASSWORD = "glide-demo-2026"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    redis_url = require_redis()
    with scratch_database(tmp_path_factory.mktemp("two-servers"), suffix="two_servers") as database_url:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "AXES_FAILURE_LIMIT": str(LIMIT)}
        manage("seed_demo", env=env)
        with gunicorn(env) as first, gunicorn(env) as second:
            yield first, second


def sign_in(port, username, password):
    body = json.dumps({"username": username, "password": password})
    status, _, _ = request(port, "POST", "/api/v1/auth/token/", {"Content-Type": "application/json"}, body)
    return status


def test_guesses_spread_over_two_servers_lock_the_account_at_the_same_count_as_on_one(servers):
    first = servers[0]
    for _ in range(LIMIT):
        assert sign_in(first, "mokafor", "wrong-password") != 200
    for attempt in range(LIMIT):
        assert sign_in(servers[attempt % 2], "jlee", "wrong-password") != 200

    on_one = sign_in(first, "mokafor", DEMO_PASSWORD)
    on_two = sign_in(first, "jlee", DEMO_PASSWORD)

    assert on_one == on_two != 200


def test_one_guess_fewer_spread_over_two_servers_does_not_lock_the_account(servers):
    second = servers[1]
    for attempt in range(LIMIT - 1):
        assert sign_in(servers[attempt % 2], "demo", "wrong-password") != 200

    assert sign_in(second, "demo", DEMO_PASSWORD) == 200
