"""
Whatever counts attempts is shared by every process and server: two gunicorn
servers over one database (and, where Redis answers, one Redis) give a burst spread
over both the allowance of one. The sign-in throttle counts in Django's default
cache (the database, or Redis with ``REDIS_URL``); the lockout counts in the
database (django-axes' database handler).
"""

import pytest

from ..factories import PASSWORD
from ..servers import gunicorn, manage, migrated, request, scratch_database

TOKEN_URL = "/api/v1/auth/token/"
CREATE_MEMBER = (
    "from clinic.models import User; "
    f"User.objects.create_user('thera', password={PASSWORD!r}, first_name='Tess', last_name='Ray')"
)


@pytest.fixture
def shared_database(tmp_path):
    with scratch_database(tmp_path) as url:
        migrated(url)
        manage("shell", "-c", CREATE_MEMBER, env={"DATABASE_URL": url})
        yield url


@pytest.fixture(params=["database", "redis"])
def cache_env(request):
    if request.param == "redis":
        return {"REDIS_URL": request.getfixturevalue("redis_url")}
    return {}


@pytest.fixture
def two_servers(shared_database, cache_env):
    def start(**env):
        server_env = {"DATABASE_URL": shared_database, **cache_env, **env}
        with gunicorn(server_env) as first, gunicorn(server_env) as second:
            yield first, second

    return start


def ask_for_a_token(port, password):
    return request(port, "POST", TOKEN_URL, {"username": "thera", "password": password})


@pytest.mark.parametrize("cache_env", ["database", "redis"], indirect=True)
def test_sign_in_attempts_spread_over_two_servers_get_one_allowance(two_servers):
    for first, second in two_servers(THROTTLE_LOGIN="10/minute", AXES_ENABLED="false"):
        answers = [ask_for_a_token(port, "wrong")[0] for port in (first, second) * 5]
        assert answers == [400] * 10
        assert ask_for_a_token(first, "wrong")[0] == 429
        assert ask_for_a_token(second, PASSWORD)[0] == 429


@pytest.mark.parametrize("cache_env", ["database"], indirect=True)
def test_bad_passwords_spread_over_two_servers_lock_the_account_at_the_one_limit(two_servers):
    for first, second in two_servers(THROTTLE_LOGIN="1000/minute", AXES_FAILURE_LIMIT="4"):
        assert ask_for_a_token(second, PASSWORD)[0] == 200
        for port in (first, second, first, second):
            assert ask_for_a_token(port, "wrong")[0] == 400
        # The fourth failure, wherever it landed, locked the account on both servers:
        # the right password is refused now.
        for port in (first, second):
            status, body = ask_for_a_token(port, PASSWORD)
            assert (status, body["errors"][0]["code"]) == (400, "authorization")
