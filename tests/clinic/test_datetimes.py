"""A date-time the database cannot store (an offset beyond PostgreSQL's, a moment
whose UTC falls outside years 1 to 9999) answers 400 in every filter and field; one
it can store is read as the same instant in UTC."""

from urllib.parse import quote

import pytest
from django.test import Client

from assessments.models import Assessment

from ..api import api_client, slr_payload

pytestmark = pytest.mark.django_db

UNSTORABLE = [
    "2026-01-01T10:00:00+99:00",
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T03:00:00+14:00",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T20:00:00-12:00",
]
FILTERS = [
    "/api/v1/assessments/?performed_at_after={}",
    "/api/v1/assessments/?performed_at_before={}",
    "/api/v1/patients/changes/?updated_since={}",
    "/api/v1/assessments/changes/?updated_since={}",
    "/api/v1/plans/changes/?updated_since={}",
]


@pytest.mark.parametrize("moment", UNSTORABLE)
@pytest.mark.parametrize("address", FILTERS)
def test_an_unstorable_moment_in_a_filter_answers_400(therapist, address, moment):
    response = api_client(therapist).get(address.format(quote(moment)))
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"


@pytest.mark.parametrize("moment", UNSTORABLE)
def test_an_unstorable_moment_in_a_field_answers_400_and_writes_nothing(therapist, patient, moment):
    payload = {**slr_payload(patient), "performed_at": moment}
    response = api_client(therapist).post("/api/v1/assessments/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "performed_at"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("moment", UNSTORABLE)
def test_an_unstorable_moment_in_the_assessment_page_is_a_field_error(therapist, patient, moment):
    client = Client()
    client.force_login(therapist)
    response = client.post(f"/patients/{patient.pk}/assessments/new/", {"performed_at": moment})
    assert response.status_code == 200
    assert "performed_at" in response.context["form"].errors
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("moment", ["2026-01-01T10:00:00+15:59", "2026-01-01T10:00:00-20:00"])
def test_a_far_but_real_instant_is_kept_as_the_same_instant_in_utc(therapist, patient, moment):
    client = api_client(therapist)
    assert client.get(f"/api/v1/assessments/?performed_at_after={quote(moment)}").status_code == 200
    payload = {**slr_payload(patient), "performed_at": moment}
    response = client.post("/api/v1/assessments/", payload, format="json")
    assert response.status_code == 201
    stored = Assessment.objects.get().performed_at
    assert stored.utcoffset().total_seconds() == 0
