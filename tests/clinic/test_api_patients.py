"""Patients over the API: created in the caller's clinic, changed with their ETag,
archived rather than deleted."""

import pytest

from clinic.models import AuditEvent, Membership, Patient

from ..api import api_client, audit_actions, error_attrs
from ..factories import ClinicFactory, MembershipFactory, PatientFactory, member

pytestmark = pytest.mark.django_db

URL = "/api/v1/patients/"

NEW_PATIENT = {
    "chart_number": "A-2001", "given_name": "Grace", "family_name": "Hopper",
    "date_of_birth": "1985-03-02", "sex": "female", "phone": "+1 555 0100",
    "email": "grace@example.org", "preferred_language": "en",
}  # fmt: skip


def detail(patient):
    return f"{URL}{patient.pk}/"


def test_a_patient_is_created_in_the_callers_clinic(therapist, clinic):
    response = api_client(therapist).post(URL, NEW_PATIENT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["clinic"], body["archived_at"], body["version"]) == ("harbour", None, 1)
    assert response["ETag"] == '"1"'
    assert Patient.objects.get(pk=body["id"]).clinic == clinic
    assert audit_actions() == ["create"]


def test_a_member_of_several_clinics_names_the_clinic(therapist):
    second = ClinicFactory(slug="second")
    MembershipFactory(user=therapist, clinic=second)
    client = api_client(therapist)
    unnamed = client.post(URL, NEW_PATIENT, format="json")
    assert unnamed.status_code == 400
    assert error_attrs(unnamed) == {"clinic"}
    named = client.post(f"{URL}?clinic=second", NEW_PATIENT, format="json")
    assert named.json()["clinic"] == "second"


def test_the_browsable_api_answers_a_refused_clinic_with_its_error(therapist, other_clinic):
    response = api_client(therapist).post(
        f"{URL[:-1]}.api/?clinic={other_clinic.slug}", NEW_PATIENT, format="json"
    )
    assert response.status_code == 400
    assert not Patient.objects.exists()


def test_a_chart_number_is_unique_in_the_clinic(therapist, patient):
    response = api_client(therapist).post(URL, {**NEW_PATIENT, "chart_number": "A-1001"}, format="json")
    assert response.status_code == 400
    assert error_attrs(response) == {"chart_number"}


def test_a_date_of_birth_in_the_future_is_refused(therapist):
    response = api_client(therapist).post(URL, {**NEW_PATIENT, "date_of_birth": "2999-01-01"}, format="json")
    assert response.status_code == 400
    assert error_attrs(response) == {"date_of_birth"}
    assert not Patient.objects.exists()


def test_a_viewer_cannot_create_a_patient(viewer):
    assert api_client(viewer).post(URL, NEW_PATIENT, format="json").status_code == 403
    assert not Patient.objects.exists()


def test_a_viewer_cannot_change_a_patient(viewer, patient):
    assert api_client(viewer).patch(detail(patient), {"phone": "1"}, format="json").status_code == 403


def test_reading_a_patient_carries_an_etag_and_leaves_a_trace(therapist, patient):
    response = api_client(therapist).get(detail(patient))
    assert response["ETag"] == '"1"'
    event = AuditEvent.objects.get()
    assert (event.action, event.patient) == ("view", patient)


def test_a_patient_changes_and_their_version_moves_on(therapist, patient):
    response = api_client(therapist).patch(detail(patient), {"phone": "+1 555 0199"}, format="json")
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    patient.refresh_from_db()
    assert (patient.phone, patient.version) == ("+1 555 0199", 2)


def test_a_stale_if_match_answers_412_and_changes_nothing(therapist, patient):
    response = api_client(therapist).patch(
        detail(patient), {"phone": "+1 555 0199"}, format="json", HTTP_IF_MATCH='"5"'
    )
    assert response.status_code == 412
    patient.refresh_from_db()
    assert patient.phone != "+1 555 0199"


def test_read_only_fields_sent_are_ignored(therapist, patient, other_clinic):
    api_client(therapist).patch(
        detail(patient),
        {"clinic": "hillside", "archived_at": "2026-01-01T00:00:00Z", "version": 40, "id": "x"},
        format="json",
    )
    patient.refresh_from_db()
    assert (patient.clinic.slug, patient.archived_at, patient.version) == ("harbour", None, 2)


def test_delete_archives_the_patient(therapist, patient):
    response = api_client(therapist).delete(detail(patient))
    assert response.status_code == 204
    patient.refresh_from_db()
    assert patient.is_archived
    assert audit_actions() == ["archive"]


def test_archived_patients_are_hidden_unless_asked_for(therapist, clinic, patient):
    archived = PatientFactory(clinic=clinic)
    archived.archive()
    client = api_client(therapist)

    def listed(query=""):
        return {row["id"] for row in client.get(f"{URL}{query}").json()["results"]}

    assert listed() == {str(patient.pk)}
    assert listed("?archived=true") == {str(archived.pk)}
    assert listed("?include_archived=true") == {str(patient.pk), str(archived.pk)}
    assert client.get(detail(archived)).status_code == 200


def test_one_audit_event_per_list_with_the_ids_shown(therapist, clinic, patient):
    api_client(therapist).get(URL)
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.clinic) == ("list", "patient", clinic)
    assert event.detail["ids"] == [str(patient.pk)]


def test_an_admin_writes_clinical_records_too(clinic):
    admin = member(clinic, Membership.Role.ADMIN)
    assert api_client(admin).post(URL, NEW_PATIENT, format="json").status_code == 201
