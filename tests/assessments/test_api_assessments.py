"""Assessments over the API: written whole, read back with their readings."""

import pytest

from assessments.models import Assessment, StepFinding, TestResult

from ..api import api_client, error_attrs, slr_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"


def test_an_assessment_is_created_whole_with_its_readings(therapist, patient):
    response = api_client(therapist).post(URL, slr_payload(patient), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert response["ETag"] == '"1"'
    left, right = sorted(body["results"], key=lambda result: result["side"])
    assert left["test"] == "SLR"
    assert left["interpretation"] == "positive"
    assert left["final_interpretation"] == "positive"
    assert left["side_difference_deg"] == 25
    assert [finding["step"] for finding in left["findings"]] == ["hip-flexion", "ankle-dorsiflexion"]
    assert right["interpretation"] == "negative"
    assert StepFinding.objects.count() == 3


def post(user, payload, **extra):
    return api_client(user).post(URL, payload, format="json", **extra)


def assert_refused_and_nothing_written(response, attr):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert attr in error_attrs(response)
    assert not Assessment.objects.exists()
    assert not TestResult.objects.exists()


def test_malformed_json_is_refused(therapist, patient):
    response = api_client(therapist).post(URL, '{"patient": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "parse_error"
    assert not Assessment.objects.exists()


def test_a_wrong_type_is_refused_with_its_nested_attr(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][0]["range_at_onset_deg"] = "fifty"
    assert_refused_and_nothing_written(post(therapist, payload), "results.0.range_at_onset_deg")


def test_an_unknown_test_code_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1]["test"] = "NOPE"
    assert_refused_and_nothing_written(post(therapist, payload), "results.1.test")


def test_a_step_of_another_test_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][0]["findings"][1]["step"] = "shoulder-depression"
    assert_refused_and_nothing_written(post(therapist, payload), "results.0.findings.1.step")


def test_an_intensity_of_eleven_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][0]["findings"][1]["intensity"] = 11
    response = post(therapist, payload)
    assert_refused_and_nothing_written(response, "results.0.findings.1.intensity")
    assert response.json()["errors"][0]["code"] == "max_value"


def test_a_negative_angle_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1]["range_at_onset_deg"] = -5
    assert_refused_and_nothing_written(post(therapist, payload), "results.1.range_at_onset_deg")


def test_a_duplicate_test_and_side_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1]["side"] = "left"
    assert_refused_and_nothing_written(post(therapist, payload), "results.1.side")


def test_an_unknown_symptom_kind_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][0]["findings"][0]["symptom_kinds"] = ["tickle"]
    assert_refused_and_nothing_written(post(therapist, payload), "results.0.findings.0.symptom_kinds.0")


def test_thousands_of_findings_are_refused(therapist, patient, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    payload = slr_payload(patient)
    finding = {"step": "hip-flexion", "symptoms_reproduced": "none"}
    payload["results"][0]["findings"] = [finding] * 3000
    assert_refused_and_nothing_written(post(therapist, payload), "results")


def test_a_body_over_the_upload_limit_answers_413(therapist, patient, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    payload = slr_payload(patient)
    payload["notes"] = "x" * 3000
    response = post(therapist, payload)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"
    assert not Assessment.objects.exists()


def test_read_only_fields_sent_are_ignored(therapist, viewer, patient):
    payload = slr_payload(patient)
    payload.update(
        id="00000000-0000-0000-0000-000000000001",
        status="signed",
        version=99,
        therapist=str(viewer.pk),
        signed_at="2026-01-01T00:00:00Z",
    )
    payload["results"][0]["interpretation"] = "negative"
    body = post(therapist, payload).json()
    assert body["id"] != payload["id"]
    assert (body["status"], body["version"], body["signed_at"]) == ("draft", 1, None)
    assert body["therapist"]["id"] == str(therapist.pk)
    left = next(result for result in body["results"] if result["side"] == "left")
    assert left["interpretation"] == "positive"


def test_an_override_wins_in_the_final_interpretation(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1].update(interpretation_override="inconclusive", override_reason="Guarding")
    right = next(result for result in post(therapist, payload).json()["results"] if result["side"] == "right")
    assert (right["interpretation"], right["final_interpretation"]) == ("negative", "inconclusive")


def test_an_override_without_a_reason_is_refused(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1]["interpretation_override"] = "positive"
    assert_refused_and_nothing_written(post(therapist, payload), "results.1.override_reason")


def test_a_viewer_cannot_record_an_assessment(viewer, patient):
    response = post(viewer, slr_payload(patient))
    assert response.status_code == 403
    assert response.json()["type"] == "client_error"
    assert not Assessment.objects.exists()


def test_a_patient_of_another_clinic_cannot_be_assessed(outsider, patient):
    assert_refused_and_nothing_written(post(outsider, slr_payload(patient)), "patient")
