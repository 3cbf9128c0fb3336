"""A clinic admin reads a patient's audit history over the API, as JSON pages or as
a CSV export; no one else does, and reading it is itself recorded."""

import csv

import pytest

from clinic.audit import record
from clinic.models import AuditEvent, Membership

from ..api import api_client
from ..factories import PatientFactory, member

pytestmark = pytest.mark.django_db


def audit_url(patient, suffix="/"):
    return f"/api/v1/patients/{patient.pk}/audit{suffix}"


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(body.splitlines()))


@pytest.fixture
def history(patient, therapist):
    """Two earlier events on the patient, and one on another patient of the clinic."""
    record(None, AuditEvent.Action.CREATE, patient, actor=therapist)
    record(None, AuditEvent.Action.UPDATE, patient, actor=therapist, fields=["phone"])
    neighbour = PatientFactory(clinic=patient.clinic, chart_number="B-1")
    record(None, AuditEvent.Action.VIEW, neighbour, actor=therapist)


def test_an_admin_reads_the_patients_history_newest_first(clinic_admin, patient, history):
    response = api_client(clinic_admin).get(audit_url(patient))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [event["action"] for event in body["results"]] == ["view", "update", "create"]
    assert body["count"] == 3
    assert {event["patient"] for event in body["results"]} == {str(patient.pk)}
    assert body["results"][1]["actor"] == "thera"
    assert body["results"][1]["detail"] == {"fields": ["phone"]}


def test_reading_the_history_leaves_a_view_event(clinic_admin, patient, history):
    api_client(clinic_admin).get(audit_url(patient))
    latest = AuditEvent.objects.first()
    assert (latest.action, latest.actor, latest.patient, latest.detail) == (
        "view",
        clinic_admin,
        patient,
        {"part": "audit"},
    )


def test_the_history_comes_in_pages(clinic_admin, patient, therapist):
    for _ in range(30):
        record(None, AuditEvent.Action.VIEW, patient, actor=therapist)
    client = api_client(clinic_admin)
    first = client.get(audit_url(patient)).json()
    assert (first["count"], len(first["results"])) == (31, 25)
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 7  # 6 earlier events and the first page's own read


@pytest.mark.parametrize("suffix", [".csv", "/?format=csv"])
def test_an_admin_exports_the_history_as_csv(clinic_admin, patient, history, suffix):
    response = api_client(clinic_admin).get(audit_url(patient, suffix))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = read_csv(response)
    assert [row["action"] for row in rows] == ["export", "update", "create"]
    assert {row["patient id"] for row in rows} == {str(patient.pk)}


def test_exporting_the_history_leaves_an_export_event(clinic_admin, patient, history):
    api_client(clinic_admin).get(audit_url(patient, ".csv"))
    latest = AuditEvent.objects.first()
    assert (latest.action, latest.patient, latest.detail) == (
        "export",
        patient,
        {"part": "audit", "format": "csv"},
    )


@pytest.mark.parametrize("role", [Membership.Role.THERAPIST, Membership.Role.VIEWER])
@pytest.mark.parametrize("suffix", ["/", ".csv"])
def test_other_members_of_the_clinic_are_refused(clinic, patient, history, role, suffix):
    response = api_client(member(clinic, role)).get(audit_url(patient, suffix))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_a_refused_read_is_recorded_and_nothing_is_read(therapist, patient, history):
    api_client(therapist).get(audit_url(patient))
    latest = AuditEvent.objects.first()
    assert (latest.action, latest.actor, latest.patient, latest.status_code) == (
        "denied",
        therapist,
        patient,
        403,
    )
    assert not AuditEvent.objects.filter(action__in=["view", "export"], detail__part="audit").exists()


@pytest.mark.parametrize("suffix", ["/", ".csv"])
def test_an_admin_of_another_clinic_finds_no_such_patient(other_clinic, patient, history, suffix):
    stranger = member(other_clinic, Membership.Role.ADMIN)
    before = AuditEvent.objects.count()
    response = api_client(stranger).get(audit_url(patient, suffix))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert AuditEvent.objects.count() == before


def test_an_admin_of_several_clinics_sees_only_this_patients_events(clinic_admin, patient, other_clinic):
    elsewhere = PatientFactory(clinic=other_clinic)
    record(None, AuditEvent.Action.VIEW, elsewhere, actor=clinic_admin)
    record(None, AuditEvent.Action.VIEW, patient, actor=clinic_admin)
    body = api_client(clinic_admin).get(audit_url(patient)).json()
    assert {event["patient"] for event in body["results"]} == {str(patient.pk)}


def test_the_history_costs_a_fixed_number_of_queries(
    clinic_admin, patient, therapist, django_assert_max_num_queries
):
    for _ in range(20):
        record(None, AuditEvent.Action.VIEW, patient, actor=therapist)
    client = api_client(clinic_admin)
    # One of them counts the call for the throttle.
    with django_assert_max_num_queries(11):
        assert client.get(audit_url(patient)).status_code == 200
