"""The outcome measures' API, as the contract names it: the instruments, recording
a response, a patient's series; bad input answers 400 and writes nothing."""

import datetime

import pytest
from django.utils import timezone

from clinic.models import AuditEvent
from outcomes.models import MeasureResponse

from ..api import api_client
from ..factories import PatientFactory, load_wording, record_measure

pytestmark = pytest.mark.django_db

ODI_VALUES = [2, 2, 2, 2, 2, 2, 1, 1, 1, 1]  # a total of 16
ODI_ANSWERS = [{"link_id": f"odi-{n}", "value": value} for n, value in enumerate(ODI_VALUES, 1)]


def measures_url(patient):
    return f"/api/v1/patients/{patient.pk}/measures/"


def now_text():
    return timezone.now().isoformat()


def odi_payload(answers=ODI_ANSWERS, **fields):
    return {"instrument": "odi", "taken_at": now_text(), "answers": answers, **fields}


@pytest.fixture
def odi_wording(clinic, clinic_admin):
    return load_wording(clinic, "odi", clinic_admin)


def error_codes(response):
    return sorted((error["attr"], error["code"]) for error in response.json()["errors"])


# --- Instruments ------------------------------------------------------------------------


def test_the_instruments_list_carries_items_score_range_mcid_loinc_and_wording_status(therapist):
    response = api_client(therapist).get("/api/v1/instruments/")

    assert response.status_code == 200
    by_code = {entry["code"]: entry for entry in response.json()}
    assert set(by_code) == {"nprs", "psfs", "groc", "lefs", "odi", "ndi", "quickdash", "s-lanss"}
    odi = by_code["odi"]
    assert (odi["loinc"], odi["wording_loaded"]) == ("97909-6", False)
    assert odi["score"]["mcid"] == "10.0" and odi["score"]["mcid_applies_to"] == "score_percent"
    assert odi["items"][0]["link_id"] == "odi-1" and odi["items"][0]["text"] == ""
    assert by_code["nprs"]["items"][0]["options"][0] == {"value": 0, "label": "0 · no pain"}
    assert by_code["nprs"]["wording_loaded"] is True


def test_a_clinics_loaded_wording_is_shown_to_its_members(therapist, odi_wording):
    odi = api_client(therapist).get("/api/v1/instruments/odi/").json()

    assert odi["wording_loaded"] is True
    assert odi["items"][1]["text"] == "How much does your back trouble limit looking after yourself?"
    assert odi["items"][1]["options"][5]["label"] == "Completely"


def test_another_clinic_does_not_see_a_clinics_wording(outsider, odi_wording):
    odi = api_client(outsider).get("/api/v1/instruments/odi/").json()

    assert odi["wording_loaded"] is False
    assert "back trouble" not in str(odi)


def test_reading_the_instruments_leaves_no_audit_event(therapist):
    before = AuditEvent.objects.count()
    api_client(therapist).get("/api/v1/instruments/")
    assert AuditEvent.objects.count() == before


# --- Recording ------------------------------------------------------------------------------


def test_a_recorded_odi_answers_201_with_its_score_percentage_and_reading(therapist, patient, odi_wording):
    response = api_client(therapist).post(measures_url(patient), odi_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["score"], body["score_percent"]) == ("16.0", "32.0")
    assert body["interpretation"] == "16 on 0-50 (lower is better), 32%."
    assert body["recorded_by"] == "thera" and body["signed_at"]
    saved = MeasureResponse.objects.get(pk=body["id"])
    assert (saved.patient, saved.clinic, saved.recorded_by) == (patient, patient.clinic, therapist)


def test_recording_leaves_one_create_event_naming_the_response(therapist, patient, odi_wording):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = api_client(therapist).post(measures_url(patient), odi_payload(), format="json")

    events = list(AuditEvent.objects.filter(id__gt=before))
    named = [(event.action, event.object_id, event.patient) for event in events]
    assert named == [("create", response.json()["id"], patient)]


def test_a_psfs_is_recorded_with_its_activities(therapist, patient):
    payload = {
        "instrument": "psfs",
        "taken_at": now_text(),
        "answers": [
            {"link_id": "activity-1", "value": 3, "activity": "Climbing stairs"},
            {"link_id": "activity-2", "value": 5, "activity": "Sitting through a meal"},
            {"link_id": "activity-3", "value": 4, "activity": "Lifting my daughter"},
        ],
    }
    response = api_client(therapist).post(measures_url(patient), payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["score"] == "4.0"
    assert response.json()["answers"][0]["activity"] == "Climbing stairs"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (odi_payload([{"link_id": "odi-1", "value": 6}]), [("answers.0.value", "out_of_range")]),
        (odi_payload([{"link_id": "odi-11", "value": 1}]), [("answers.0.link_id", "unknown_item")]),
        (odi_payload(taken_at=(timezone.now() + datetime.timedelta(days=2)).isoformat()),
         [("taken_at", "future")]),
        (odi_payload(instrument="sf-36"), [("instrument", "does_not_exist")]),
        (odi_payload([]), [("answers", "empty")]),
        (odi_payload([{"link_id": "odi-1", "value": "a lot"}]), [("answers.0.value", "invalid")]),
    ],
    ids=["out of range", "unknown item", "future date", "unknown instrument", "no answers", "not a number"],
)  # fmt: skip
def test_bad_input_answers_400_and_writes_nothing(therapist, patient, odi_wording, payload, expected):
    events = AuditEvent.objects.count()

    response = api_client(therapist).post(measures_url(patient), payload, format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert error_codes(response) == expected
    assert not MeasureResponse.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_instrument_whose_wording_is_not_loaded_answers_400(therapist, patient):
    response = api_client(therapist).post(measures_url(patient), odi_payload(), format="json")

    assert response.status_code == 400
    assert error_codes(response) == [("instrument", "wording_not_loaded")]
    assert not MeasureResponse.objects.exists()


def test_a_viewer_cannot_record_and_the_refusal_is_traced(viewer, patient, odi_wording):
    response = api_client(viewer).post(measures_url(patient), odi_payload(), format="json")

    assert response.status_code == 403
    assert not MeasureResponse.objects.exists()
    assert AuditEvent.objects.filter(action="denied", patient=patient).count() == 1


def test_another_clinics_patient_is_not_found(outsider, patient):
    response = api_client(outsider).post(measures_url(patient), odi_payload(), format="json")
    assert response.status_code == 404


# --- Corrections --------------------------------------------------------------------------


def test_a_correction_replaces_a_response_with_its_reason(therapist, patient, odi_wording):
    client = api_client(therapist)
    first = client.post(measures_url(patient), odi_payload(), format="json").json()

    corrected = client.post(
        measures_url(patient),
        odi_payload(replaces=first["id"], correction_reason="Section 7 was read from the wrong line."),
        format="json",
    )

    assert corrected.status_code == 201, corrected.json()
    assert corrected.json()["replaces"] == first["id"]
    series = client.get(measures_url(patient)).json()["series"]
    assert [point["id"] for point in series[0]["points"]] == [corrected.json()["id"]]


def test_a_correction_without_a_reason_answers_400(therapist, patient, odi_wording):
    client = api_client(therapist)
    first = client.post(measures_url(patient), odi_payload(), format="json").json()

    response = client.post(measures_url(patient), odi_payload(replaces=first["id"]), format="json")

    assert response.status_code == 400
    assert error_codes(response) == [("correction_reason", "required")]


def test_a_response_is_corrected_only_once(therapist, patient, odi_wording):
    client = api_client(therapist)
    first = client.post(measures_url(patient), odi_payload(), format="json").json()
    reason = {"replaces": first["id"], "correction_reason": "Typo."}
    client.post(measures_url(patient), odi_payload(**reason), format="json")

    response = client.post(measures_url(patient), odi_payload(**reason), format="json")

    assert error_codes(response) == [("replaces", "already_replaced")]


def test_another_patients_response_cannot_be_replaced(therapist, patient, clinic, odi_wording):
    other = PatientFactory(clinic=clinic)
    theirs = record_measure(other, "nprs", {"pain": 4}, by=therapist)

    response = api_client(therapist).post(
        measures_url(patient),
        {"instrument": "nprs", "taken_at": now_text(), "answers": [{"link_id": "pain", "value": 3}],
         "replaces": str(theirs.pk), "correction_reason": "Typo."},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert error_codes(response) == [("replaces", "does_not_exist")]


# --- The series ---------------------------------------------------------------------------


def test_the_series_is_oldest_first_with_the_change_from_the_first_and_the_mcid(
    therapist, patient, odi_wording
):
    first = {f"odi-{n}": 4 for n in range(1, 11)}  # 40 of 50: 80%
    later = {f"odi-{n}": 3 for n in range(1, 11)}  # 30 of 50: 60%
    record_measure(patient, "odi", later, by=therapist, days_ago=1)
    record_measure(patient, "odi", first, by=therapist, days_ago=20)

    response = api_client(therapist).get(measures_url(patient), {"instrument": "odi"})

    assert response.status_code == 200
    (series,) = response.json()["series"]
    assert [point["score_percent"] for point in series["points"]] == ["80.0", "60.0"]
    assert [point["change_from_first"] for point in series["points"]] == ["0.0", "-20.0"]
    assert [point["passes_mcid"] for point in series["points"]] == [False, True]
    assert series["clinically_important"] is True
    assert series["summary"] == (
        "The ODI has improved by 20 percentage points since the first score: "
        "a clinically important change (MCID 10 percentage points)."
    )


def test_the_psfs_series_follows_each_activity_under_its_own_name(therapist, patient):
    record_measure(patient, "psfs", {"activity-1": ("Climbing stairs", 2), "activity-2": ("Driving", 5),
                                     "activity-3": ("Gardening", 3)}, by=therapist, days_ago=14)  # fmt: skip
    record_measure(patient, "psfs", {"activity-1": ("Gardening", 4), "activity-2": ("climbing  stairs", 6),
                                     "activity-3": ("Driving", 6)}, by=therapist, days_ago=1)  # fmt: skip

    (series,) = api_client(therapist).get(measures_url(patient), {"instrument": "psfs"}).json()["series"]

    activities = {activity["name"]: activity for activity in series["activities"]}
    assert [point["value"] for point in activities["Climbing stairs"]["points"]] == [2, 6]
    assert activities["Climbing stairs"]["passes_mcid"] is True
    assert activities["Driving"]["change"] == "1.0"


def test_reading_the_series_leaves_one_view_event(therapist, patient):
    before = AuditEvent.objects.count()
    api_client(therapist).get(measures_url(patient))
    assert list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:1]) == ["view"]
    assert AuditEvent.objects.count() == before + 1


def test_an_unknown_instrument_in_the_series_query_answers_400(therapist, patient):
    response = api_client(therapist).get(measures_url(patient), {"instrument": "sf-36"})
    assert response.status_code == 400
    assert error_codes(response) == [("instrument", "invalid")]
