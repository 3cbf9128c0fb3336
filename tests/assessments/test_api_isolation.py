"""A member of another clinic walks every API route: every record of this clinic
answers 404, whatever the method, and nothing changes."""

import pytest

from assessments import services
from assessments.models import Addendum, Assessment, HandoutPrint, NeuroTest
from clinic.models import Membership

from ..api import api_client, slr_payload
from ..factories import ExerciseFactory, PlanFactory, PlanItemFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(clinic, therapist, clinic_admin, patient):
    client = api_client(therapist)
    own_test = {
        "code": "OWN", "name": "Own", "nerve_bias": "Median", "region": "upper",
        "measured_joint": "elbow extension", "steps": [{"code": "start", "name": "Start", "kind": "base"}],
    }  # fmt: skip
    assert api_client(clinic_admin).post("/api/v1/tests/", own_test, format="json").status_code == 201
    draft_id = client.post("/api/v1/assessments/", slr_payload(patient), format="json").json()["id"]
    signed = services.create_assessment(
        therapist=therapist, patient=patient, results=[], complaint="Earlier visit"
    )
    signed = services.sign_assessment(signed, signed_by=therapist)
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    exercise = ExerciseFactory(clinic=clinic, slug="harbour-glide")
    return {
        "clinic": clinic,
        "patient": patient,
        "draft": Assessment.objects.get(pk=draft_id),
        "signed": signed,
        "plan": plan,
        "exercise": exercise,
        "test": NeuroTest.objects.get(code="OWN", clinic=clinic),
    }


def routes(records):
    clinic, patient, draft = records["clinic"], records["patient"], records["draft"]
    signed, plan, exercise = records["signed"], records["plan"], records["exercise"]
    change = {"name": "Taken over", "phone": "0", "complaint": "Taken over", "goals": "Taken over"}
    whole_patient = {**change, "chart_number": "X", "given_name": "X", "family_name": "X"}
    return [
        ("get", f"/api/v1/clinics/{clinic.pk}/", None),
        ("put", f"/api/v1/clinics/{clinic.pk}/", change),
        ("patch", f"/api/v1/clinics/{clinic.pk}/", change),
        ("get", f"/api/v1/patients/{patient.pk}/", None),
        ("put", f"/api/v1/patients/{patient.pk}/", whole_patient),
        ("patch", f"/api/v1/patients/{patient.pk}/", change),
        ("delete", f"/api/v1/patients/{patient.pk}/", None),
        ("get", f"/api/v1/patients/{patient.pk}/progress/", None),
        ("get", "/api/v1/tests/OWN/", None),
        ("put", "/api/v1/tests/OWN/", change),
        ("patch", "/api/v1/tests/OWN/", change),
        ("get", f"/api/v1/exercises/{exercise.slug}/", None),
        ("put", f"/api/v1/exercises/{exercise.slug}/", change),
        ("patch", f"/api/v1/exercises/{exercise.slug}/", change),
        ("get", f"/api/v1/assessments/{draft.pk}/", None),
        ("put", f"/api/v1/assessments/{draft.pk}/", slr_payload(patient)),
        ("patch", f"/api/v1/assessments/{draft.pk}/", change),
        ("delete", f"/api/v1/assessments/{draft.pk}/", None),
        ("post", f"/api/v1/assessments/{draft.pk}/sign/", None),
        ("get", f"/api/v1/assessments/{signed.pk}/addenda/", None),
        ("post", f"/api/v1/assessments/{signed.pk}/addenda/", {"text": "Not mine to write"}),
        ("get", f"/api/v1/plans/{plan.pk}/", None),
        ("put", f"/api/v1/plans/{plan.pk}/", {**change, "patient": str(patient.pk)}),
        ("patch", f"/api/v1/plans/{plan.pk}/", change),
        ("get", f"/api/v1/plans/{plan.pk}/handout.pdf", None),
    ]  # fmt: skip


@pytest.mark.parametrize("role", [Membership.Role.ADMIN, Membership.Role.THERAPIST, Membership.Role.VIEWER])
def test_another_clinics_member_finds_none_of_this_clinics_records(records, other_clinic, role):
    stranger = api_client(member(other_clinic, role, username=f"stranger-{role}"))
    for method, url, payload in routes(records):
        response = getattr(stranger, method)(url, payload, format="json", HTTP_IF_MATCH='"1"')
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json() == {
            "type": "client_error",
            "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
        }


def test_nothing_changes_when_another_clinic_walks_the_routes(records, other_clinic):
    stranger = api_client(member(other_clinic, Membership.Role.ADMIN, username="stranger"))
    for method, url, payload in routes(records):
        getattr(stranger, method)(url, payload, format="json", HTTP_IF_MATCH='"1"')
    for name in ("clinic", "patient", "draft", "signed", "plan", "exercise", "test"):
        record = records[name]
        version = record.version
        record.refresh_from_db()
        assert record.version == version, name
    assert records["patient"].archived_at is None
    assert records["draft"].status == "draft"
    assert not Addendum.objects.exists()
    assert not HandoutPrint.objects.exists()


def test_another_clinics_lists_show_none_of_this_clinics_records(records, other_clinic):
    stranger = api_client(member(other_clinic, Membership.Role.ADMIN, username="stranger"))
    for resource in ("patients", "assessments", "plans"):
        assert stranger.get(f"/api/v1/{resource}/").json()["count"] == 0
        assert (
            stranger.get(f"/api/v1/{resource}/?patient={records['patient'].pk}").json().get("count", 0) == 0
        )
    slugs = [row["slug"] for row in stranger.get("/api/v1/clinics/").json()["results"]]
    assert slugs == [other_clinic.slug]
    assert "harbour-glide" not in [
        row["slug"] for row in stranger.get("/api/v1/exercises/?standard=false").json()["results"]
    ]


def test_another_clinics_member_cannot_record_for_this_clinics_patient(records, other_clinic):
    stranger = api_client(member(other_clinic, Membership.Role.THERAPIST, username="stranger"))
    before = Assessment.objects.count()
    response = stranger.post("/api/v1/plans/", {"patient": str(records["patient"].pk)}, format="json")
    assert response.status_code == 400
    assert (
        stranger.post("/api/v1/assessments/", slr_payload(records["patient"]), format="json").status_code
        == 400
    )
    assert Assessment.objects.count() == before
