"""Connections are kept between requests: persistently (``CONN_MAX_AGE``) or in
psycopg's pool (``DATABASE_POOL=true``). Each case starts a fresh interpreter,
because settings are read once at startup."""

import json

import pytest
from django.db import connection

from .test_settings import run_python

REPORT_CONNECTION = (
    "import django, json; django.setup(); from django.conf import settings; "
    "database = settings.DATABASES['default']; "
    "print(json.dumps({'conn_max_age': database['CONN_MAX_AGE'], "
    "'pool': database.get('OPTIONS', {}).get('pool')}))"
)

THROUGH_THE_POOL = (
    "import django, json; django.setup(); "
    "from django.db import close_old_connections, connection\n"
    "answers = []\n"
    "for request in range(5):\n"
    "    with connection.cursor() as cursor:\n"
    "        cursor.execute('SELECT pg_backend_pid()')\n"
    "        answers.append(cursor.fetchone()[0])\n"
    "    connection.close()\n"
    "print(json.dumps({'pool': type(connection.pool).__name__, 'pids': answers, "
    "'stats': connection.pool.get_stats()}))"
)


def postgres_url():
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def test_connections_persist_for_a_minute_by_default():
    process = run_python(REPORT_CONNECTION, DATABASE_URL="postgres://glide@127.0.0.1:5432/glide")
    assert json.loads(process.stdout) == {"conn_max_age": 60, "pool": None}


def test_conn_max_age_is_configurable():
    process = run_python(
        REPORT_CONNECTION, DATABASE_URL="postgres://glide@127.0.0.1:5432/glide", CONN_MAX_AGE="0"
    )
    assert json.loads(process.stdout)["conn_max_age"] == 0


def test_database_pool_replaces_persistent_connections_with_psycopgs_pool():
    process = run_python(
        REPORT_CONNECTION,
        DATABASE_URL="postgres://glide@127.0.0.1:5432/glide",
        DATABASE_POOL="true",
        DATABASE_POOL_MIN="1",
        DATABASE_POOL_MAX="4",
    )
    assert json.loads(process.stdout) == {"conn_max_age": 0, "pool": {"min_size": 1, "max_size": 4}}


@pytest.mark.postgres
@pytest.mark.django_db
def test_queries_run_through_the_pool_and_reuse_its_connections():
    process = run_python(
        THROUGH_THE_POOL,
        DATABASE_URL=postgres_url(),
        DATABASE_POOL="true",
        DATABASE_POOL_MIN="1",
        DATABASE_POOL_MAX="1",
    )
    assert process.returncode == 0, process.stderr
    report = json.loads(process.stdout)
    assert report["pool"] == "ConnectionPool"
    assert len(set(report["pids"])) == 1  # five "requests", one server connection
    assert report["stats"]["connections_num"] == 1
    assert report["stats"]["requests_num"] >= 5
