"""Importing a FHIR Patient: created, or found when the same person comes again under
the same chart number; the sender's identifiers kept; refused with an
OperationOutcome when invalid or when the chart number belongs to someone else; the
same demographics after a round trip."""

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
    chart, senders = body["identifier"]
    assert chart["system"] == "https://glide.example.org/fhir/clinics/harbour/chart-number"
    assert chart["value"] == "MRN-77"
    assert senders == {"use": "secondary", "system": "https://emr.example.org/mrn", "value": "MRN-77"}


def test_the_location_of_an_imported_patient_is_its_fhir_resource(therapist, clinic):
    response = post_fhir(therapist, fhir_patient())

    location = response["Location"]
    assert location == f"http://testserver/fhir/Patient/{response.json()['id']}"
    read = client_for(therapist).get(location)
    assert read.status_code == 200 and read.json()["id"] == response.json()["id"]


def test_the_senders_identifier_finds_the_patient_on_the_fhir_server(therapist, clinic):
    created = post_fhir(therapist, fhir_patient()).json()

    found = client_for(therapist).get("/fhir/Patient", {"identifier": "https://emr.example.org/mrn|MRN-77"})
    other_system = client_for(therapist).get(
        "/fhir/Patient", {"identifier": "https://elsewhere.example|MRN-77"}
    )

    assert [entry["resource"]["id"] for entry in found.json()["entry"]] == [created["id"]]
    assert other_system.json()["total"] == 0


def test_the_same_person_posted_again_is_found_not_duplicated(therapist, clinic):
    first = post_fhir(therapist, fhir_patient())
    again = post_fhir(therapist, fhir_patient(telecom=[{"system": "phone", "value": "+1 555 0111"}]))

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Patient.objects.filter(clinic=clinic).count() == 1
    assert Patient.objects.get().external_identifiers.count() == 1


def test_a_known_chart_number_with_other_demographics_is_a_conflict_and_nothing_changes(therapist, clinic):
    first = post_fhir(therapist, fhir_patient())
    other_person = post_fhir(therapist, fhir_patient(name=[{"family": "Someone", "given": ["Else"]}]))

    assert other_person.status_code == 409
    outcome = other_person.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "conflict"
    assert "given name, family name" in outcome["issue"][0]["diagnostics"]
    patient = Patient.objects.get()
    assert str(patient.pk) == first.json()["id"] and patient.family_name == "Lovelace"
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.status_code, event.detail["outcome"], event.patient) == (409, "conflict", patient)


@pytest.mark.parametrize(
    ("changes", "expression"),
    [
        (
            {"identifier": [{"system": "https://emr.example.org/mrn", "value": "MRN\x0077"}]},
            "Patient.identifier[0].value",
        ),
        ({"name": [{"family": "Love\x00lace", "given": ["Ada"]}]}, "Patient.name[0].family"),
        ({"name": [{"family": "Lovelace", "given": ["A\x00da"]}]}, "Patient.name[0].given[0]"),
    ],
)
def test_a_nul_character_in_an_identifier_or_a_name_is_refused(therapist, clinic, changes, expression):
    response = post_fhir(therapist, fhir_patient(**changes))

    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == [expression]
    assert not Patient.objects.exists()


def test_deeply_nested_json_is_refused_with_an_operation_outcome(therapist, clinic):
    body = '{"resourceType": "Patient", "extension": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = client_for(therapist).post(IMPORT_URL, data=body, content_type="application/fhir+json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Patient.objects.exists()


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
