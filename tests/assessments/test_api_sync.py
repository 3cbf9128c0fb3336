"""Incremental sync: an integrator pages through the records changed since a moment
(``/changes/?updated_since=``), each once, oldest change first, at the same cost
on every page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.models import AuditEvent, Patient

from ..api import api_client
from ..factories import (
    AssessmentFactory,
    ClinicFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    StepFindingFactory,
    TestResultFactory,
    member,
)

pytestmark = pytest.mark.django_db

SINCE = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def add_assessment(clinic, therapist):
    assessment = AssessmentFactory(patient=PatientFactory(clinic=clinic), therapist=therapist)
    for side in ("left", "right"):
        StepFindingFactory(result=TestResultFactory(assessment=assessment, side=side))
    return assessment


def add_plan(clinic, therapist):
    plan = PlanFactory(patient=PatientFactory(clinic=clinic), therapist=therapist)
    PlanItemFactory(plan=plan)
    return plan


ROWS = {
    "patients": lambda clinic, therapist: PatientFactory(clinic=clinic),
    "assessments": add_assessment,
    "plans": add_plan,
}


def stamp(rows, moment):
    """Set ``updated_at`` as if the rows had last changed at ``moment``."""
    model = type(rows[0])
    model.objects.filter(pk__in=[row.pk for row in rows]).update(updated_at=moment)
    for row in rows:
        row.refresh_from_db()


def all_pages(client, url):
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


@pytest.mark.parametrize("resource", sorted(ROWS))
def test_paging_through_changes_returns_each_changed_record_once_in_order(resource, clinic, therapist):
    rows = [ROWS[resource](clinic, therapist) for _ in range(11)]
    unchanged, same_moment, later = rows[:3], rows[3:9], rows[9:]
    stamp(unchanged, SINCE - datetime.timedelta(seconds=1))
    stamp(same_moment, SINCE)
    for minutes, row in enumerate(later, start=1):
        stamp([row], SINCE + datetime.timedelta(minutes=minutes))

    pages = all_pages(
        api_client(therapist), f"/api/v1/{resource}/changes/?updated_since=2026-03-01T09:00:00Z&page_size=2"
    )

    received = [record["id"] for page in pages for record in page["results"]]
    expected = sorted(same_moment, key=lambda row: str(row.pk)) + later
    assert received == [str(row.pk) for row in expected]
    assert [len(page["results"]) for page in pages] == [2, 2, 2, 2]
    assert pages[-1]["next"] is None


def test_without_updated_since_every_record_comes_including_archived_patients(clinic, therapist):
    kept = PatientFactory(clinic=clinic)
    archived = PatientFactory(clinic=clinic)
    archived.archive()

    pages = all_pages(api_client(therapist), "/api/v1/patients/changes/")

    received = {record["id"] for page in pages for record in page["results"]}
    assert received == {str(kept.pk), str(archived.pk)}


@pytest.mark.parametrize("resource", sorted(ROWS))
def test_another_clinics_records_never_appear(resource, clinic, therapist):
    own = ROWS[resource](clinic, therapist)
    elsewhere = ClinicFactory()
    ROWS[resource](elsewhere, member(elsewhere))

    pages = all_pages(api_client(therapist), f"/api/v1/{resource}/changes/?page_size=1")

    assert [record["id"] for page in pages for record in page["results"]] == [str(own.pk)]


def test_a_record_changed_while_paging_comes_again_at_the_end(clinic, therapist):
    patients = [PatientFactory(clinic=clinic) for _ in range(4)]
    for minutes, patient in enumerate(patients):
        stamp([patient], SINCE + datetime.timedelta(minutes=minutes))
    client = api_client(therapist)
    first = client.get("/api/v1/patients/changes/?page_size=2").json()

    first_seen = Patient.objects.get(pk=first["results"][0]["id"])
    first_seen.given_name = "Renamed"
    first_seen.save()

    rest = all_pages(client, first["next"])
    received = [record["id"] for page in rest for record in page["results"]]
    assert received == [str(patients[2].pk), str(patients[3].pk), str(first_seen.pk)]


def test_every_page_costs_the_same_queries_however_deep(clinic, therapist):
    assessments = [add_assessment(clinic, therapist) for _ in range(12)]
    stamp(assessments[:6], SINCE)
    client = api_client(therapist)
    url = "/api/v1/assessments/changes/?page_size=2"
    client.get(url)

    queries = []
    while url:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        queries.append(len(captured))
        url = body["next"]

    assert len(queries) == 6
    assert len(set(queries)) == 1


def test_each_page_leaves_one_audit_event_naming_its_records(clinic, therapist):
    patients = [PatientFactory(clinic=clinic) for _ in range(3)]
    before = AuditEvent.objects.count()

    pages = all_pages(api_client(therapist), "/api/v1/patients/changes/?page_size=2")

    events = AuditEvent.objects.order_by("pk")[before:]
    assert [event.action for event in events] == [AuditEvent.Action.LIST] * len(pages)
    assert sorted(pk for event in events for pk in event.detail["ids"]) == sorted(
        str(patient.pk) for patient in patients
    )


def test_a_malformed_updated_since_is_a_field_error(therapist):
    response = api_client(therapist).get("/api/v1/assessments/changes/?updated_since=last-tuesday")

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["updated_since"]


def test_a_tampered_cursor_is_not_found(therapist):
    response = api_client(therapist).get("/api/v1/assessments/changes/?cursor=bm90LWEtY3Vyc29y")

    assert response.status_code == 404
