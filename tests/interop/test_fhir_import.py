"""Importing a FHIR Patient: created or found by chart number, refused with an
OperationOutcome when invalid, and the same demographics after a round trip."""

import json

import pytest
from rest_framework.test import APIClient

from clinic.models import AuditEvent, Membership, Patient

from ..factories import MembershipFactory, PatientFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/fhir/Patient"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_fhir(user, resource, query=""):
    return client_for(user).post(
        IMPORT_URL + query, data=json.dumps(resource), content_type="application/fhir+json"
    )


def fhir_patient(**changes):
    resource = {
        "resourceType": "Patient",
        "identifier": [{"system": "https://emr.example.org/mrn", "value": "MRN-77"}],
        "name": [{"use": "official", "family": "Lovelace", "given": ["Ada"]}],
        "gender": "female",
        "birthDate": "1985-03-02",
        "telecom": [
            {"system": "phone", "value": "+1 555 0100"},
            {"system": "email", "value": "ada@example.org"},
        ],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "fr"}]}}],
    }
    resource.update(changes)
    return resource


DEMOGRAPHICS = ("given_name", "family_name", "date_of_birth", "sex", "phone", "email", "preferred_language")


def test_a_patient_exported_and_imported_into_another_clinic_keeps_the_same_demographics(
    therapist, patient, outsider, other_clinic
):
    patient.phone, patient.email, patient.preferred_language = "+1 555 0199", "ada@example.org", "es"
    patient.save()
    bundle = client_for(therapist).get(f"/api/v1/patients/{patient.pk}/fhir/").json()
    exported = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")

    response = post_fhir(outsider, exported)

    assert response.status_code == 201, response.json()
    imported = Patient.objects.get(pk=response.json()["id"])
    assert imported.clinic == other_clinic
    assert imported.chart_number == patient.chart_number
    assert {name: getattr(imported, name) for name in DEMOGRAPHICS} == {
        name: getattr(patient, name) for name in DEMOGRAPHICS
    }


def test_an_import_answers_the_created_patient_as_fhir_json(therapist, clinic):
    response = post_fhir(therapist, fhir_patient())

    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "Patient"
    (identifier,) = body["identifier"]
    assert identifier["system"] == "https://glide.example.org/fhir/clinics/harbour/chart-number"
    assert identifier["value"] == "MRN-77"
    assert response["Location"].endswith(f"/api/v1/patients/{body['id']}/")


def test_importing_the_same_chart_number_again_finds_the_patient_instead_of_duplicating_it(therapist, clinic):
    first = post_fhir(therapist, fhir_patient())
    again = post_fhir(therapist, fhir_patient(name=[{"family": "Someone", "given": ["Else"]}]))

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Patient.objects.filter(clinic=clinic).count() == 1
    assert Patient.objects.get().family_name == "Lovelace"


@pytest.mark.parametrize(
    ("resource", "expression"),
    [
        (fhir_patient(birthDate="02/03/1985"), "Patient.birthDate"),
        (fhir_patient(gender="robot"), "Patient.gender"),
        (fhir_patient(identifier=[]), "Patient.identifier"),
        (fhir_patient(name=[{"family": "Lovelace"}]), "Patient.name[0].given[0]"),
        (fhir_patient(telecom=[{"system": "email", "value": "not-an-email"}]), "Patient.telecom"),
        (fhir_patient(resourceType="Practitioner"), "Patient.resourceType"),
    ],
)
def test_an_invalid_resource_is_refused_with_an_operation_outcome_and_nothing_written(
    therapist, clinic, resource, expression
):
    response = post_fhir(therapist, resource)

    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert expression in [path for issue in outcome["issue"] for path in issue.get("expression", [])]
    assert all(issue["severity"] == "error" for issue in outcome["issue"])
    assert not Patient.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_an_operation_outcome(therapist, clinic):
    response = client_for(therapist).post(IMPORT_URL, data="{not json", content_type="application/fhir+json")

    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Patient.objects.exists()


def test_every_import_leaves_exactly_one_audit_record(therapist, clinic):
    created = post_fhir(therapist, fhir_patient())
    refused = post_fhir(therapist, fhir_patient(gender="robot"))

    assert created.status_code == 201 and refused.status_code == 400
    events = list(AuditEvent.objects.order_by("id"))
    assert [(event.action, event.status_code) for event in events] == [("import", 201), ("import", 400)]
    assert events[0].patient_id is not None and str(events[0].patient_id) == created.json()["id"]
    assert events[1].clinic == clinic and events[1].detail["outcome"] == "rejected"


def test_a_viewer_may_not_import(viewer, clinic):
    response = post_fhir(viewer, fhir_patient())

    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Patient.objects.exists()
    (event,) = AuditEvent.objects.all()
    assert event.action == AuditEvent.Action.DENIED


def test_a_member_of_several_clinics_must_say_which_one(therapist, clinic, other_clinic):
    MembershipFactory(user=therapist, clinic=other_clinic, role=Membership.Role.THERAPIST)

    unsaid = post_fhir(therapist, fhir_patient())
    said = post_fhir(therapist, fhir_patient(), query="?clinic=hillside")

    assert unsaid.status_code == 400
    assert "?clinic=" in unsaid.json()["issue"][0]["diagnostics"]
    assert said.status_code == 201
    assert Patient.objects.get().clinic == other_clinic


def test_importing_into_a_clinic_one_is_not_a_member_of_is_not_found(therapist, clinic, other_clinic):
    PatientFactory(clinic=other_clinic, chart_number="MRN-77")

    response = post_fhir(therapist, fhir_patient(), query="?clinic=hillside")

    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert Patient.objects.count() == 1


def test_an_anonymous_caller_may_not_import(clinic):
    response = APIClient().post(
        IMPORT_URL, data=json.dumps(fhir_patient()), content_type="application/fhir+json"
    )

    assert response.status_code == 401
    assert response.json()["issue"][0]["code"] == "login"
