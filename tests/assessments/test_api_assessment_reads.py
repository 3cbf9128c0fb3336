"""How the API shows an assessment is the same wherever it is read: in the list, in
the changes feed and on its own, with its results as ``TestResultSerializer`` shows
them, key for key and in the same order."""

import json

import pytest
from rest_framework.renderers import JSONRenderer

from assessments.models import Assessment
from assessments.serializers import TestResultSerializer

from ..api import api_client, slr_payload
from ..factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"


def record_visits(client, patient):
    """A draft, and a signed visit with an addendum whose readings leave fields
    empty: a test on one side only, with an overridden reading and no findings."""
    first = client.post(URL, slr_payload(patient), format="json").json()
    payload = slr_payload(patient)
    payload["performed_at"] = "2026-12-01T10:30:00Z"
    payload["results"].append(
        {
            "test": "SLUMP",
            "side": "left",
            "interpretation_override": "negative",
            "override_reason": "Symptoms come from the hip.",
        }
    )
    second = client.post(URL, payload, format="json").json()
    client.post(f"{URL}{second['id']}/sign/")
    client.post(f"{URL}{second['id']}/addenda/", {"text": "Called back: easier today."}, format="json")
    return [first["id"], second["id"]]


def in_order(value):
    """The JSON text, keys in the order they were sent."""
    return json.dumps(value)


def test_the_list_shows_each_assessment_as_its_detail_does(therapist, patient):
    client = api_client(therapist)
    ids = record_visits(client, patient)
    rows = client.get(f"{URL}?patient={patient.pk}").json()["results"]
    assert sorted(row["id"] for row in rows) == sorted(ids)
    for row in rows:
        assert in_order(row) == in_order(client.get(f"{URL}{row['id']}/").json())


def test_the_list_shows_times_in_the_current_time_zone_as_the_detail_does(therapist, patient, settings):
    settings.TIME_ZONE = "America/Denver"
    client = api_client(therapist)
    record_visits(client, patient)
    rows = client.get(f"{URL}?patient={patient.pk}").json()["results"]
    assert any(row["addenda"] for row in rows)
    for row in rows:
        assert row["performed_at"].endswith(("-07:00", "-06:00"))
        assert in_order(row) == in_order(client.get(f"{URL}{row['id']}/").json())


def test_the_changes_feed_shows_each_assessment_as_its_detail_does(therapist, patient):
    client = api_client(therapist)
    record_visits(client, patient)
    rows = client.get(f"{URL}changes/").json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert in_order(row) == in_order(client.get(f"{URL}{row['id']}/").json())


def test_results_are_shown_as_the_result_serializer_shows_them(therapist, patient):
    client = api_client(therapist)
    record_visits(client, patient)
    for assessment in Assessment.objects.with_results():
        shown = client.get(f"{URL}{assessment.pk}/").json()["results"]
        serialized = TestResultSerializer(assessment.results.all(), many=True).data
        assert JSONRenderer().render(shown) == JSONRenderer().render(serialized)


def test_a_page_holds_as_many_rows_as_asked_up_to_a_hundred(therapist, clinic):
    PatientFactory.create_batch(110, clinic=clinic)
    client = api_client(therapist)
    assert len(client.get("/api/v1/patients/?page_size=50").json()["results"]) == 50
    assert len(client.get("/api/v1/patients/?page_size=500").json()["results"]) == 100
    assert len(client.get("/api/v1/patients/").json()["results"]) == 25
