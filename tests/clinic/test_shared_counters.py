"""
Whatever counts attempts is shared by every process and server: two gunicorn
servers over one database (and, where Redis answers, one Redis) give a burst spread
over both the allowance of one. The sign-in throttle counts in Django's default
cache (the database, or Redis with ``REDIS_URL``); the lockout counts in the
database (django-axes' database handler).
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from ..factories import PASSWORD
from ..servers import gunicorn, manage, migrated, request, scratch_database
from .test_settings import run_python

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
def two_servers(cache_env, shared_database):
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
        answers = [ask_for_a_token(port, "wrong")[0] for port in (first, second, first, second)]
        # The fourth failure, wherever it landed, locked the account on both servers:
        # it is answered as a lockout, and the right password is refused now.
        assert answers == [400, 400, 400, 429]
        for port in (first, second):
            status, body = ask_for_a_token(port, PASSWORD)
            assert (status, body["errors"][0]["code"]) == (429, "locked_out")


SHOW_CACHE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"
)


def test_without_redis_the_cache_is_a_table_in_the_database():
    process = run_python(SHOW_CACHE)
    assert process.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "glide_cache"]


def test_redis_url_puts_the_cache_in_redis():
    process = run_python(SHOW_CACHE, REDIS_URL="redis://127.0.0.1:6379/3")
    assert process.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({}, "Glide: cache in the database (table glide_cache), shared by every process and server;"),
        (
            {"REDIS_URL": "redis://:s3cret@cache.internal:6379/0"},
            "Glide: cache in Redis at redis://:***@cache.internal:6379/0, shared by every process",
        ),
    ],
)
def test_a_starting_server_says_in_one_line_where_its_counters_live(env, line):
    process = run_python("import clinic.wsgi", **env)
    assert process.returncode == 0, process.stderr
    said = [text for text in process.stderr.splitlines() if text.startswith("Glide:")]
    assert len(said) == 1 and said[0].startswith(line)
    assert "s3cret" not in process.stderr


REDIS_CASE = (
    "tests/clinic/test_shared_counters.py::"
    "test_sign_in_attempts_spread_over_two_servers_get_one_allowance[redis]"
)


@pytest.mark.parametrize(("require", "outcome"), [("", "1 skipped"), ("1", "1 error")])
def test_without_redis_its_tests_skip_except_where_services_are_required(require, outcome):
    process = subprocess.run(
        [sys.executable, "-m", "pytest", REDIS_CASE, "-q", "-p", "no:cacheprovider"],
        env={
            **os.environ,
            "GLIDE_TEST_REDIS_URL": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "GLIDE_REQUIRE_SERVICES": require,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert outcome in process.stdout.splitlines()[-1], process.stdout
