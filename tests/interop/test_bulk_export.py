"""FHIR Bulk Data export, asynchronous: kick-off, polling, manifest, files, cancel,
one at a time per clinic. Tasks run eagerly here (no REDIS_URL), as in ``make run``;
``test_bulk_export_worker.py`` runs them on a real Celery worker."""

import datetime
import json

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from assessments import services
from clinic.models import AuditEvent, Membership, Patient
from interop.models import ExportJob

from ..api import api_client
from ..factories import (
    AssessmentFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    StepFindingFactory,
    TestResultFactory,
    member,
)

pytestmark = pytest.mark.django_db

ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


@pytest.fixture(autouse=True)
def _exports_in_a_scratch_folder(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "exports": {**settings.STORAGES["exports"]}}
    settings.STORAGES["exports"]["OPTIONS"] = {"location": tmp_path / "exports"}
    settings.GLIDE_EXPORT_CHUNK_SIZE = 2


@pytest.fixture
def records(clinic, therapist):
    patients = [PatientFactory(clinic=clinic) for _ in range(3)]
    for patient in patients:
        assessment = AssessmentFactory(patient=patient, therapist=therapist)
        StepFindingFactory(result=TestResultFactory(assessment=assessment))
        services.sign_assessment(assessment, signed_by=therapist)
        PlanItemFactory(plan=PlanFactory(patient=patient, therapist=therapist))
    return patients


@pytest.fixture
def admin_api(clinic_admin):
    return api_client(clinic_admin)


def kick_off(client, path="/fhir/$export", captured=None, **headers):
    return client.get(path, **{**ASYNC, **headers})


@pytest.fixture
def export(admin_api, django_capture_on_commit_callbacks):
    """Kick off an export and run it (eagerly, as the commit hands it to Celery)."""

    def run(path="/fhir/$export"):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_api.get(path, **ASYNC)
        assert response.status_code == 202, response.content
        return response

    return run


def status_path(response):
    return response["Content-Location"].removeprefix("http://testserver")


def read_ndjson(client, url):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def test_a_clinic_export_completes_with_a_manifest_whose_files_validate_as_fhir(export, admin_api, records):
    kicked_off = export()

    response = admin_api.get(status_path(kicked_off))

    assert response.status_code == 200
    manifest = response.json()
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"] == "http://testserver/fhir/$export"
    assert manifest["error"] == []
    assert datetime.datetime.fromisoformat(manifest["transactionTime"]) <= timezone.now()
    by_type = {entry["type"]: entry for entry in manifest["output"]}
    assert set(by_type) == {
        "Organization", "Practitioner", "PractitionerRole", "Patient", "Encounter", "Observation",
        "CarePlan", "ServiceRequest",
    }  # fmt: skip
    assert by_type["Patient"]["count"] == 3
    for resource_type, entry in by_type.items():
        resources = read_ndjson(admin_api, entry["url"])
        assert len(resources) == entry["count"]
        for resource in resources:
            get_fhir_model_class(resource_type).model_validate(resource)


def test_the_patient_export_holds_the_patients_compartment_only(export, admin_api, records):
    manifest = admin_api.get(status_path(export("/fhir/Patient/$export"))).json()

    assert {entry["type"] for entry in manifest["output"]} == {
        "Patient", "Encounter", "Observation", "CarePlan", "ServiceRequest",
    }  # fmt: skip


def test_type_narrows_the_export_to_the_types_asked_for(export, admin_api, records):
    manifest = admin_api.get(status_path(export("/fhir/$export?_type=Patient,Observation"))).json()

    assert sorted(entry["type"] for entry in manifest["output"]) == ["Observation", "Patient"]


def test_since_exports_only_the_records_changed_since_then(export, admin_api, records):
    since = timezone.now() + datetime.timedelta(seconds=1)
    Patient.objects.filter(pk=records[0].pk).update(updated_at=since + datetime.timedelta(minutes=1))

    manifest = admin_api.get(
        status_path(export(f"/fhir/Patient/$export?_since={since.isoformat().replace('+00:00', 'Z')}"))
    ).json()

    assert [(entry["type"], entry["count"]) for entry in manifest["output"]] == [("Patient", 1)]
    [patient] = read_ndjson(admin_api, manifest["output"][0]["url"])
    assert patient["id"] == str(records[0].pk)


def test_while_the_export_runs_polling_answers_202_with_its_progress(admin_api, clinic, clinic_admin):
    job = ExportJob.objects.create(
        clinic=clinic, requested_by=clinic_admin, kind=ExportJob.Kind.FHIR_CLINIC, state="running"
    )
    job.report(40, 100)

    response = admin_api.get(f"/fhir/bulk-status/{job.pk}")

    assert response.status_code == 202
    assert response["X-Progress"] == "40% (40 of 100 patients)"
    assert response["Retry-After"] == "2"


def test_a_second_export_of_the_same_clinic_while_one_runs_answers_429(admin_api, clinic, clinic_admin):
    ExportJob.objects.create(clinic=clinic, requested_by=clinic_admin, kind=ExportJob.Kind.FHIR_PATIENTS)

    response = admin_api.get("/fhir/$export", **ASYNC)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["resourceType"] == "OperationOutcome"
    assert ExportJob.objects.count() == 1


def test_another_clinic_may_export_while_this_one_does(admin_api, clinic, clinic_admin, other_clinic):
    ExportJob.objects.create(clinic=other_clinic, requested_by=clinic_admin, kind=ExportJob.Kind.FHIR_CLINIC)

    assert admin_api.get("/fhir/$export", **ASYNC).status_code == 202


def test_delete_cancels_a_running_export_and_its_status_then_answers_404(admin_api, clinic, clinic_admin):
    job = ExportJob.objects.create(
        clinic=clinic, requested_by=clinic_admin, kind=ExportJob.Kind.FHIR_CLINIC, state="running"
    )

    assert admin_api.delete(f"/fhir/bulk-status/{job.pk}").status_code == 202

    job.refresh_from_db()
    assert job.state == ExportJob.State.CANCELLED
    assert job.report(1) is False  # the worker stops at its next report
    response = admin_api.get(f"/fhir/bulk-status/{job.pk}")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_delete_after_completion_removes_the_files(export, admin_api, records):
    path = status_path(export())
    file_url = admin_api.get(path).json()["output"][0]["url"]

    admin_api.delete(path)

    assert admin_api.get(file_url.removeprefix("http://testserver")).status_code == 404
    job = ExportJob.objects.get()
    assert not job.storage().exists(str(job.pk))


def test_the_files_are_not_found_with_a_token_of_another_clinic(export, admin_api, records, other_clinic):
    file_url = admin_api.get(status_path(export())).json()["output"][0]["url"]
    stranger = api_client(member(other_clinic, Membership.Role.ADMIN, username="stranger"))

    response = stranger.get(file_url.removeprefix("http://testserver"))

    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_files_need_a_token(export, admin_api, records):
    file_url = admin_api.get(status_path(export())).json()["output"][0]["url"]

    response = api_client().get(file_url.removeprefix("http://testserver"))

    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_therapist_may_not_export_the_clinic(clinic, therapist):
    response = api_client(therapist).get("/fhir/$export", **ASYNC)

    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
    assert AuditEvent.objects.filter(action="denied", clinic=clinic).count() == 1


@pytest.mark.parametrize(
    ("query", "headers", "says"),
    [
        ("", {"HTTP_PREFER": ""}, "Prefer: respond-async"),
        ("?_since=yesterday", {}, "_since"),
        ("?_since=2026-11-24T10:30:00", {}, "_since"),
        ("?_type=Patient,Medication", {}, "Medication"),
        ("?_outputFormat=text/csv", {}, "_outputFormat"),
    ],
)
def test_bad_kick_offs_answer_400_with_an_operation_outcome_and_start_nothing(
    admin_api, query, headers, says
):
    response = admin_api.get(f"/fhir/$export{query}", **{**ASYNC, **headers})

    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert says in outcome["issue"][0]["diagnostics"]
    assert not ExportJob.objects.exists()


def test_the_patient_export_does_not_offer_the_clinics_own_resources(admin_api):
    response = admin_api.get("/fhir/Patient/$export?_type=Organization", **ASYNC)

    assert response.status_code == 400


def test_a_failed_export_answers_an_operation_outcome_on_its_status(admin_api, clinic, clinic_admin):
    job = ExportJob.objects.create(clinic=clinic, requested_by=clinic_admin, kind=ExportJob.Kind.FHIR_CLINIC)
    job.fail("The export could not be written: OSError.")

    response = admin_api.get(f"/fhir/bulk-status/{job.pk}")

    assert response.status_code == 500
    assert response.json()["issue"][0]["diagnostics"] == "The export could not be written: OSError."


def test_kick_off_and_each_file_read_leave_one_export_event(export, admin_api, records, clinic):
    kicked_off = export()
    manifest = admin_api.get(status_path(kicked_off)).json()
    read_ndjson(admin_api, manifest["output"][0]["url"])

    events = AuditEvent.objects.filter(clinic=clinic, action="export", object_type="exportjob")
    assert [event.status_code for event in events.order_by("at")] == [202, 200]
