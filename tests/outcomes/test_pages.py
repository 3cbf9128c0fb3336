"""The clinician's pages of outcome measures: recording (on its own and from an
assessment), correcting, sending to the patient, the clinic's schedule and
licensed wording, and the chart's measures with what is due."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from clinic.models import AuditEvent
from outcomes.models import InstrumentWording, MeasureRequest, MeasureResponse, MeasureSchedule
from tests.factories import (
    WORDING_FILES,
    AssessmentFactory,
    PlanFactory,
    instrument,
    load_wording,
    open_link_for,
    record_measure,
)
from tests.pages import FORMS, READS, Page, page_names, wrong_methods

pytestmark = pytest.mark.django_db

PAGES = {
    "measure-new": (["patient"], FORMS),
    "measure-send": (["patient"], {"post"}),
    "measure-detail": (["response"], READS),
    "measure-settings": ([], FORMS),
    "measure-wording": (["odi"], {"post"}),
}


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


def new_measure_url(patient, **query):
    text = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/patients/{patient.pk}/measures/new/" + (f"?{text}" if text else "")


PSFS_FORM = {
    "instrument": "psfs",
    "taken_at": "2026-11-20T10:30",
    "activity-activity-1": "Climbing stairs",
    "item-activity-1": "3",
    "activity-activity-2": "Sitting through a meal",
    "item-activity-2": "5",
    "activity-activity-3": "Lifting my daughter",
    "item-activity-3": "4",
}


def test_every_outcome_page_is_listed_here():
    assert set(page_names("outcomes.pages")) == set(PAGES)


@pytest.mark.parametrize(("name", "method"), wrong_methods(PAGES))
def test_a_page_answers_only_its_methods(therapist_client, name, method):
    args = {"measure-new": [uuid.uuid4()], "measure-send": [uuid.uuid4()], "measure-detail": [uuid.uuid4()],
            "measure-wording": ["odi"]}.get(name, [])  # fmt: skip
    response = getattr(therapist_client, method)(reverse(name, args=args))
    assert response.status_code == 405


# --- Recording ---------------------------------------------------------------------------


def test_the_picker_marks_a_licensed_measure_without_its_wording(therapist_client, patient):
    response = therapist_client.get(new_measure_url(patient))

    content = response.content.decode()
    assert "Record the PSFS" in content
    assert "Record the ODI" not in content
    assert "needs its wording" in content


def test_a_therapist_records_a_psfs_and_the_chart_shows_it(therapist_client, patient):
    response = therapist_client.post(new_measure_url(patient), PSFS_FORM)

    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"
    saved = MeasureResponse.objects.get()
    assert (saved.score, saved.recorded_by.username) == (4, "thera")
    assert [answer["activity"] for answer in saved.answers] == [
        "Climbing stairs",
        "Sitting through a meal",
        "Lifting my daughter",
    ]
    chart = therapist_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "One PSFS score so far: the next one will show the change." in chart


def test_a_rating_without_its_activity_is_shown_back_and_nothing_is_written(therapist_client, patient):
    response = therapist_client.post(new_measure_url(patient), {**PSFS_FORM, "activity-activity-1": ""})

    assert response.status_code == 200
    assert "Name the activity you rated." in response.content.decode()
    assert not MeasureResponse.objects.exists()


def test_a_date_in_the_future_is_shown_back_and_nothing_is_written(therapist_client, patient):
    later = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    response = therapist_client.post(new_measure_url(patient), {**PSFS_FORM, "taken_at": later})

    assert "The date is in the future." in response.content.decode()
    assert not MeasureResponse.objects.exists()


def test_a_measure_recorded_from_an_assessment_belongs_to_that_visit(therapist_client, patient, therapist):
    visit = AssessmentFactory(patient=patient, therapist=therapist)
    page = therapist_client.get(f"/assessments/{visit.pk}/").content.decode()
    assert f"/patients/{patient.pk}/measures/new/?assessment={visit.pk}" in page

    response = therapist_client.post(new_measure_url(patient), {**PSFS_FORM, "assessment": str(visit.pk)})

    assert response["Location"] == f"/assessments/{visit.pk}/"
    assert MeasureResponse.objects.get().assessment == visit


def test_the_items_are_fieldsets_with_their_question_as_legend(therapist_client, patient):
    content = therapist_client.get(new_measure_url(patient, instrument="nprs")).content.decode()

    assert '<legend><span class="item-number">1.</span> How strong has your pain been' in content
    assert content.count('type="radio"') == 11
    assert not Page(content).broken_descriptions()


def test_a_licensed_measure_shows_the_clinics_wording(therapist_client, patient, clinic, clinic_admin):
    load_wording(clinic, "odi", clinic_admin)

    content = therapist_client.get(new_measure_url(patient, instrument="odi")).content.decode()

    assert "How much does your back trouble limit lifting?" in content


def test_a_viewer_cannot_record_and_the_refusal_is_traced(client, viewer, patient):
    client.force_login(viewer)

    response = client.post(new_measure_url(patient), PSFS_FORM)

    assert response.status_code == 403
    assert not MeasureResponse.objects.exists()
    assert AuditEvent.objects.filter(action="denied", patient=patient).count() == 1


def test_another_clinics_patient_is_not_found(client, outsider, patient):
    client.force_login(outsider)
    assert client.get(new_measure_url(patient, instrument="nprs")).status_code == 404


# --- Correcting -----------------------------------------------------------------------------


def test_a_correction_replaces_the_response_and_both_stay(therapist_client, patient, therapist):
    wrong = record_measure(patient, "nprs", {"pain": 8}, by=therapist, days_ago=1)
    form = therapist_client.get(new_measure_url(patient, replaces=wrong.pk)).content.decode()
    assert "Why it is corrected" in form

    response = therapist_client.post(
        new_measure_url(patient),
        {"replaces": str(wrong.pk), "taken_at": "2026-11-20T10:30", "item-pain": "3",
         "correction_reason": "The patient said three, not eight."},
    )  # fmt: skip

    assert response.status_code == 302
    correction = MeasureResponse.objects.get(replaces=wrong)
    assert (correction.score, correction.correction_reason) == (3, "The patient said three, not eight.")
    page = therapist_client.get(f"/measures/{wrong.pk}/").content.decode()
    assert "see the response that replaces it" in page
    assert ">Correct<" not in page


def test_a_correction_needs_a_reason(therapist_client, patient, therapist):
    wrong = record_measure(patient, "nprs", {"pain": 8}, by=therapist)

    response = therapist_client.post(
        new_measure_url(patient),
        {"replaces": str(wrong.pk), "taken_at": "2026-11-20T10:30", "item-pain": "3"},
    )

    assert response.status_code == 200
    assert MeasureResponse.objects.count() == 1


def test_a_response_page_shows_its_answers_and_is_traced(therapist_client, patient, therapist):
    response = record_measure(patient, "nprs", {"pain": 10}, by=therapist)

    page = therapist_client.get(f"/measures/{response.pk}/")

    assert "10 · the worst pain you can imagine" in page.content.decode()
    assert "How strong has your pain been over the last 24 hours?" in page.content.decode()
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id) == ("view", str(response.pk))


# --- Sending to the patient -----------------------------------------------------------------


def test_sending_a_measure_leaves_one_pending_request(therapist_client, patient):
    open_link_for(patient)
    therapist_client.post(f"/patients/{patient.pk}/measures/send/", {"instrument": "psfs"})
    therapist_client.post(f"/patients/{patient.pk}/measures/send/", {"instrument": "psfs"})

    request = MeasureRequest.objects.get()
    assert (request.instrument.code, request.status) == ("psfs", "pending")
    chart = therapist_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Waiting for the patient: PSFS" in chart


def test_a_licensed_measure_without_wording_cannot_be_sent(therapist_client, patient):
    open_link_for(patient)
    response = therapist_client.post(
        f"/patients/{patient.pk}/measures/send/", {"instrument": "odi"}, follow=True
    )

    assert "needs its wording before a patient can fill it in" in response.content.decode()
    assert not MeasureRequest.objects.exists()


def test_the_chart_offers_sending_only_to_a_patient_with_an_open_link(therapist_client, patient):
    before = therapist_client.get(f"/patients/{patient.pk}/").content.decode()
    open_link_for(patient)
    after = therapist_client.get(f"/patients/{patient.pk}/").content.decode()

    assert "Send to the patient" not in before and "make them a link from their plan" in before
    assert "Send to the patient" in after


# --- The clinic's measures ------------------------------------------------------------------


def test_an_admin_schedules_a_measure_and_the_chart_says_it_is_due(admin_client, patient):
    response = admin_client.post("/measures/", {"nprs-wanted": "on", "nprs-at_first_visit": "on"})

    assert response.status_code == 302
    schedule = MeasureSchedule.objects.get()
    assert (schedule.instrument.code, schedule.at_first_visit) == ("nprs", True)
    chart = admin_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "NPRS due · first visit" in chart


def test_a_therapist_cannot_change_the_schedule(therapist_client):
    response = therapist_client.post("/measures/", {"nprs-wanted": "on"})

    assert response.status_code == 403
    assert not MeasureSchedule.objects.exists()


def test_an_admin_loads_a_licensed_wording_from_a_questionnaire_file(admin_client, clinic):
    with (WORDING_FILES / "odi-questionnaire.json").open("rb") as upload:
        response = admin_client.post("/measures/odi/wording/", {"questionnaire": upload})

    assert response.status_code == 302
    wording = InstrumentWording.objects.get()
    assert (wording.clinic, wording.title) == (clinic, "Back trouble questionnaire (test wording)")


def test_a_questionnaire_missing_an_item_is_refused_naming_it(admin_client, tmp_path):
    data = json.loads((WORDING_FILES / "odi-questionnaire.json").read_text())
    data["item"][1]["item"] = data["item"][1]["item"][:-1]
    path = tmp_path / "short.json"
    path.write_text(json.dumps(data))

    with path.open("rb") as upload:
        response = admin_client.post("/measures/odi/wording/", {"questionnaire": upload}, follow=True)

    assert "No item with linkId &quot;odi-10&quot;." in response.content.decode()
    assert not InstrumentWording.objects.exists()


def test_a_file_that_is_not_json_is_refused(admin_client, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("not json at all")

    with path.open("rb") as upload:
        response = admin_client.post("/measures/odi/wording/", {"questionnaire": upload}, follow=True)

    assert "The file is not JSON." in response.content.decode()
    assert not InstrumentWording.objects.exists()


# --- What is due ------------------------------------------------------------------------------


def test_a_measure_every_n_weeks_is_due_once_that_long_has_passed(
    therapist_client, patient, therapist, clinic
):
    MeasureSchedule.objects.create(
        clinic=clinic, instrument=instrument("nprs"), at_first_visit=False, every_weeks=2
    )
    record_measure(patient, "nprs", {"pain": 5}, by=therapist, days_ago=15)

    assert "NPRS due · every 2 weeks" in therapist_client.get(f"/patients/{patient.pk}/").content.decode()


def test_a_measure_taken_recently_is_not_due(therapist_client, patient, therapist, clinic):
    MeasureSchedule.objects.create(clinic=clinic, instrument=instrument("nprs"), every_weeks=2)
    record_measure(patient, "nprs", {"pain": 5}, by=therapist, days_ago=3)

    assert "NPRS due" not in therapist_client.get(f"/patients/{patient.pk}/").content.decode()


def test_a_measure_at_discharge_is_due_once_the_plan_is_completed(
    therapist_client, patient, therapist, clinic
):
    MeasureSchedule.objects.create(
        clinic=clinic, instrument=instrument("groc"), at_first_visit=False, at_discharge=True
    )
    PlanFactory(patient=patient, therapist=therapist, status="completed")

    assert "GROC due · discharge" in therapist_client.get(f"/patients/{patient.pk}/").content.decode()


def test_the_chart_draws_the_mcid_band_and_says_the_change_is_important(therapist_client, patient, therapist):
    record_measure(patient, "nprs", {"pain": 8}, by=therapist, days_ago=20)
    record_measure(patient, "nprs", {"pain": 3}, by=therapist, days_ago=1)

    chart = therapist_client.get(f"/patients/{patient.pk}/").content.decode()

    assert 'class="mcid-band"' in chart
    assert "The NPRS has improved by 5 points since the first score: a clinically important change" in chart


def test_a_signed_assessment_page_still_offers_recording_a_measure(therapist_client, patient, therapist):
    visit = assessment_services.sign_assessment(
        AssessmentFactory(patient=patient, therapist=therapist), signed_by=therapist
    )
    assert "Record a measure" in therapist_client.get(f"/assessments/{visit.pk}/").content.decode()
