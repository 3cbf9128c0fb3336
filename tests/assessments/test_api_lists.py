"""Every list is paginated, ordered and filterable, and costs the same number of
queries whether it shows one row or many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import services

from ..api import api_client
from ..factories import (
    AssessmentFactory,
    ClinicFactory,
    ExerciseFactory,
    MembershipFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    StepFindingFactory,
    TestResultFactory,
    standard_test,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def add_assessment(patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    for side in ("left", "right"):
        result = TestResultFactory(assessment=assessment, side=side)
        StepFindingFactory(result=result)
    return assessment


def add_plan(patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    return plan


ROWS = {
    "patients": lambda clinic, user: PatientFactory(clinic=clinic),
    "assessments": lambda clinic, user: add_assessment(PatientFactory(clinic=clinic), user),
    "plans": lambda clinic, user: add_plan(PatientFactory(clinic=clinic), user),
    "exercises": lambda clinic, user: ExerciseFactory(clinic=clinic),
    "clinics": lambda clinic, user: MembershipFactory(user=user, clinic=ClinicFactory()),
}


@pytest.mark.parametrize("resource", sorted(ROWS))
def test_a_list_costs_the_same_queries_for_one_row_and_many(resource, clinic, therapist):
    client = api_client(therapist)
    add_row = ROWS[resource]
    add_row(clinic, therapist)
    url = f"/api/v1/{resource}/"
    one, body = queries_for(client, url)
    for _ in range(6):
        add_row(clinic, therapist)
    many, body_many = queries_for(client, url)
    assert len(body_many["results"]) > len(body["results"])
    assert many == one


def add_own_test(client, code):
    response = client.post(
        "/api/v1/tests/",
        {"code": code, "name": "Own test", "nerve_bias": "Median", "region": "upper",
         "measured_joint": "elbow extension", "steps": [{"code": "start", "name": "Start", "kind": "base"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()


def test_the_test_catalogue_costs_the_same_queries_with_more_tests(clinic, clinic_admin):
    client = api_client(clinic_admin)
    add_own_test(client, "OWN0")
    one, body = queries_for(client, "/api/v1/tests/?standard=false")
    for number in range(1, 6):
        add_own_test(client, f"OWN{number}")
    many, body_many = queries_for(client, "/api/v1/tests/?standard=false")
    assert (len(body["results"]), len(body_many["results"])) == (1, 6)
    assert many == one


def test_addenda_cost_the_same_queries_however_many(clinic, therapist):
    patient = PatientFactory(clinic=clinic)
    assessment = services.sign_assessment(add_assessment(patient, therapist), signed_by=therapist)
    client = api_client(therapist)
    services.add_addendum(assessment, author=therapist, text="One")
    one, _ = queries_for(client, f"/api/v1/assessments/{assessment.pk}/addenda/")
    for number in range(5):
        services.add_addendum(assessment, author=therapist, text=f"More {number}")
    many, body = queries_for(client, f"/api/v1/assessments/{assessment.pk}/addenda/")
    assert len(body) == 6
    assert many == one


def test_lists_are_paginated(clinic, therapist):
    PatientFactory.create_batch(30, clinic=clinic)
    body = api_client(therapist).get("/api/v1/patients/").json()
    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["next"]


def test_patients_are_searched_by_name_and_chart_number(clinic, therapist, patient):
    PatientFactory(clinic=clinic, given_name="Grace", family_name="Hopper", chart_number="B-7")
    client = api_client(therapist)
    by_name = client.get("/api/v1/patients/?search=byron").json()["results"]
    by_chart = client.get("/api/v1/patients/?search=B-7").json()["results"]
    assert [p["family_name"] for p in by_name] == ["Byron"]
    assert [p["family_name"] for p in by_chart] == ["Hopper"]


def test_patients_are_ordered_as_asked(clinic, therapist, patient):
    PatientFactory(clinic=clinic, family_name="Adams")
    rows = api_client(therapist).get("/api/v1/patients/?ordering=-family_name").json()["results"]
    names = [row["family_name"] for row in rows]
    assert names == ["Byron", "Adams"]


def test_assessments_are_filtered_by_patient_date_test_and_status(clinic, therapist, patient):
    other_patient = PatientFactory(clinic=clinic)
    old = add_assessment(patient, therapist)
    old.performed_at = timezone.now() - datetime.timedelta(days=30)
    old.save()
    recent = add_assessment(patient, therapist)
    services.sign_assessment(recent, signed_by=therapist)
    slump_only = AssessmentFactory(patient=other_patient, therapist=therapist)
    TestResultFactory(assessment=slump_only, test=standard_test("SLUMP"))
    client = api_client(therapist)

    def ids(query):
        return {row["id"] for row in client.get(f"/api/v1/assessments/?{query}").json()["results"]}

    since = (timezone.now() - datetime.timedelta(days=7)).isoformat().replace("+00:00", "Z")
    assert ids(f"patient={patient.pk}") == {str(old.pk), str(recent.pk)}
    assert ids(f"performed_at_after={since}") == {str(recent.pk), str(slump_only.pk)}
    assert ids("test=SLUMP") == {str(slump_only.pk)}
    assert ids("status=signed") == {str(recent.pk)}
