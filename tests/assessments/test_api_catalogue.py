"""The test catalogue and the exercise library over the API."""

import pytest

from assessments.models import NeuroTest

from ..api import api_client, audit_actions, error_attrs
from ..factories import ExerciseFactory, StepFindingFactory, TestResultFactory

pytestmark = pytest.mark.django_db

OWN_TEST = {
    "code": "ULNT-OWN", "name": "Our median nerve screen", "nerve_bias": "Median nerve",
    "region": "upper", "measured_joint": "elbow extension",
    "steps": [
        {"code": "shoulder-abduction", "name": "Abduct the shoulder", "kind": "base"},
        {"code": "wrist-extension", "name": "Extend the wrist", "kind": "sensitizer"},
        {"code": "neck-side-flexion", "name": "Side-flex the neck away", "kind": "differentiation"},
    ],
}  # fmt: skip

OWN_EXERCISE = {
    "slug": "desk-median-slider", "name": "Desk median slider", "kind": "slider", "nerve": "median",
    "region": "upper", "purpose": "Helps the nerve in your arm glide.",
    "movements": [{"slug": "start", "title": "Start", "steps": ["Sit tall.", "Rest your hand on the desk."]}],
}  # fmt: skip


def test_a_standard_test_is_read_by_its_code_with_ordered_steps(viewer):
    body = api_client(viewer).get("/api/v1/tests/SLR/").json()
    assert body["code"] == "SLR"
    assert body["is_standard"] is True
    assert [step["order"] for step in body["steps"]] == list(range(1, len(body["steps"]) + 1))
    assert "ankle-dorsiflexion" in [step["code"] for step in body["steps"]]


def test_an_admin_adds_a_test_with_its_steps(clinic_admin, clinic):
    response = api_client(clinic_admin).post("/api/v1/tests/", OWN_TEST, format="json")
    assert response.status_code == 201, response.json()
    test = NeuroTest.objects.get(code="ULNT-OWN")
    assert test.clinic == clinic
    assert list(test.steps.values_list("code", "order")) == [
        ("shoulder-abduction", 1), ("wrist-extension", 2), ("neck-side-flexion", 3),
    ]  # fmt: skip
    assert test.steps.get(order=3).differentiates
    assert audit_actions() == ["create"]


def test_a_therapist_cannot_add_a_test(therapist):
    assert api_client(therapist).post("/api/v1/tests/", OWN_TEST, format="json").status_code == 403
    assert not NeuroTest.objects.filter(code="ULNT-OWN").exists()


def test_a_standard_code_cannot_be_reused(clinic_admin):
    response = api_client(clinic_admin).post("/api/v1/tests/", {**OWN_TEST, "code": "SLR"}, format="json")
    assert response.status_code == 400
    assert error_attrs(response) == {"code"}


def test_the_standard_catalogue_cannot_be_changed(clinic_admin):
    response = api_client(clinic_admin).patch("/api/v1/tests/SLR/", {"name": "Renamed"}, format="json")
    assert response.status_code == 403
    assert NeuroTest.objects.get(code="SLR", clinic=None).name != "Renamed"


def test_an_admin_reorders_and_renames_the_clinics_steps(clinic_admin):
    client = api_client(clinic_admin)
    client.post("/api/v1/tests/", OWN_TEST, format="json")
    steps = [OWN_TEST["steps"][1], {**OWN_TEST["steps"][0], "name": "Abduct to 90 degrees"}]
    response = client.patch("/api/v1/tests/ULNT-OWN/", {"steps": steps}, format="json")
    assert response.status_code == 200, response.json()
    assert [(s["code"], s["order"]) for s in response.json()["steps"]] == [
        ("wrist-extension", 1), ("shoulder-abduction", 2),
    ]  # fmt: skip
    assert response.json()["version"] == 2


def test_a_step_with_recorded_findings_cannot_be_removed(clinic_admin, clinic):
    client = api_client(clinic_admin)
    client.post("/api/v1/tests/", OWN_TEST, format="json")
    test = NeuroTest.objects.get(code="ULNT-OWN")
    StepFindingFactory(result=TestResultFactory(test=test, assessment__patient__clinic=clinic))
    response = client.patch("/api/v1/tests/ULNT-OWN/", {"steps": OWN_TEST["steps"][1:]}, format="json")
    assert response.status_code == 409
    assert test.steps.count() == 3


def test_tests_cannot_be_deleted(clinic_admin):
    client = api_client(clinic_admin)
    client.post("/api/v1/tests/", OWN_TEST, format="json")
    assert client.delete("/api/v1/tests/ULNT-OWN/").status_code == 405


def test_an_exercise_is_read_by_its_slug_with_its_movements(therapist):
    body = api_client(therapist).get("/api/v1/exercises/active-hamstring-mobilization/").json()
    assert body["slug"] == "active-hamstring-mobilization"
    assert body["movements"][0]["steps"]


def test_an_admin_adds_an_exercise_with_its_movements(clinic_admin, clinic):
    response = api_client(clinic_admin).post("/api/v1/exercises/", OWN_EXERCISE, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["clinic"] == "harbour"
    assert response.json()["movements"][0]["order"] == 1


def test_an_admin_replaces_an_exercises_movements(clinic_admin, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    movements = [
        {"slug": "one", "title": "One", "steps": ["Breathe in."]},
        {"slug": "two", "title": "Two", "steps": ["Breathe out."]},
    ]
    response = api_client(clinic_admin).patch(
        f"/api/v1/exercises/{exercise.slug}/", {"movements": movements}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert list(exercise.movements.values_list("slug", flat=True)) == ["one", "two"]


def test_a_therapist_cannot_add_an_exercise(therapist):
    assert api_client(therapist).post("/api/v1/exercises/", OWN_EXERCISE, format="json").status_code == 403


def test_the_catalogue_is_filtered_to_the_clinics_own(clinic_admin, clinic, other_clinic):
    ExerciseFactory(clinic=clinic, slug="ours")
    ExerciseFactory(clinic=other_clinic, slug="theirs")
    rows = api_client(clinic_admin).get("/api/v1/exercises/?standard=false").json()["results"]
    assert [row["slug"] for row in rows] == ["ours"]
