"""The development server with PostgreSQL and persistent connections (``CONN_MAX_AGE``)
keeps no connection per request: each request runs in a thread of its own, and its
connection is closed when the thread ends (clinic/management/commands/runserver.py)."""

import pytest
from django.db import connection

from ..api import api_client
from ..devserver import fetch, runserver
from ..factories import PatientFactory
from .test_connections import postgres_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REQUESTS = 150


def server_connections(database):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        return cursor.fetchone()[0]


def test_many_requests_to_runserver_leave_no_connection_behind(clinic, therapist):
    PatientFactory.create_batch(3, clinic=clinic)
    token = api_client(therapist)._credentials["HTTP_AUTHORIZATION"]
    database = connection.settings_dict["NAME"]
    before = server_connections(database)
    with runserver(DATABASE_URL=postgres_url(), CONN_MAX_AGE="600") as base:
        for _ in range(REQUESTS):
            status, _, _ = fetch(f"{base}/api/v1/patients/", {"Authorization": token})
            assert status == 200
        during = server_connections(database)
    assert during - before <= 2, f"{during - before} connections held after {REQUESTS} requests"
