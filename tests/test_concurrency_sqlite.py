"""SQLite, the embedded default, under concurrent writers: twenty clients change the
same draft at once with the same ``If-Match``; one wins, nineteen are told the record
moved on (412), and none is told the database is locked (503).

The suite's own SQLite database lives in memory, so the race runs in a fresh
interpreter on a SQLite file, configured exactly as ``make run`` configures it, with
twenty real threads."""

import json

import pytest
from django.db import connection

from .clinic.test_settings import run_python

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own configuration")

RACE = """
import json, threading
from concurrent.futures import ThreadPoolExecutor
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from rest_framework.test import APIClient
from rest_framework.authtoken.models import Token
from tests.factories import AssessmentFactory, ClinicFactory, member

clinic = ClinicFactory()
therapist = member(clinic)
draft = AssessmentFactory(patient__clinic=clinic, therapist=therapist)
token = Token.objects.create(user=therapist).key
connection.close()
CLIENTS = 20
ready = threading.Barrier(CLIENTS)

def patch(number):
    client = APIClient(raise_request_exception=False)
    try:
        ready.wait(timeout=60)
        response = client.patch(
            f"/api/v1/assessments/{draft.pk}/", {"complaint": f"Change {number}"}, format="json",
            HTTP_IF_MATCH='"1"', HTTP_AUTHORIZATION=f"Token {token}",
        )
        return response.status_code
    finally:
        connection.close()

with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
    statuses = list(pool.map(patch, range(CLIENTS)))
draft.refresh_from_db()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({"statuses": sorted(statuses), "version": draft.version, "journal": journal,
                  "options": connection.settings_dict["OPTIONS"]}))
"""


def test_twenty_concurrent_patches_on_sqlite_give_one_200_and_nineteen_412(tmp_path):
    process = run_python(RACE, DATABASE_URL=f"sqlite:///{tmp_path / 'glide.sqlite3'}")
    assert process.returncode == 0, process.stderr[-3000:]
    report = json.loads(process.stdout.strip().splitlines()[-1])
    assert report["statuses"] == [200] + [412] * 19
    assert report["version"] == 2
    assert report["journal"] == "wal"
    assert report["options"]["transaction_mode"] == "IMMEDIATE"
