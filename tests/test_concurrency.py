"""Optimistic locking holds under real concurrency: of twenty clients that change
the same draft with the same ``If-Match``, one wins and the others are told the
record moved on. Needs PostgreSQL (SQLite serialises writers and has no row locks)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from assessments.models import Assessment

from .api import api_client
from .factories import AssessmentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLIENTS = 20


def test_of_twenty_concurrent_patches_with_one_etag_exactly_one_wins(clinic, therapist):
    draft = AssessmentFactory(patient__clinic=clinic, therapist=therapist, complaint="Before")
    assert draft.version == 1
    history_before = draft.history.count()
    url = f"/api/v1/assessments/{draft.pk}/"
    clients = [api_client(therapist) for _ in range(CLIENTS)]
    everyone_ready = threading.Barrier(CLIENTS)

    def patch(number):
        try:
            everyone_ready.wait(timeout=30)
            response = clients[number].patch(
                url, {"complaint": f"Change {number}"}, format="json", HTTP_IF_MATCH='"1"'
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(patch, range(CLIENTS)))

    assert sorted(statuses) == [200] + [412] * (CLIENTS - 1)
    stored = Assessment.objects.get(pk=draft.pk)
    assert stored.version == 2
    assert stored.complaint.startswith("Change ")
    assert draft.history.count() == history_before + 1
