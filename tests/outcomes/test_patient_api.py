"""A patient app reads the measures the therapist sent and answers them, with the
link's secret and the year of birth, like the rest of the patient's API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clinic.models import AuditEvent
from outcomes import services
from outcomes.models import MeasureRequest, MeasureResponse

from ..factories import (
    PatientFactory,
    PatientLinkFactory,
    PlanFactory,
    instrument,
    load_wording,
    made_up_wording,
    open_link_for,
)

pytestmark = pytest.mark.django_db

MEASURES = "/api/v1/portal/measures/"


@pytest.fixture
def link(patient, therapist):
    return PatientLinkFactory(plan=PlanFactory(patient=patient, therapist=therapist))


def through(link, year=1985):
    return {"HTTP_AUTHORIZATION": f"PatientLink {link.secret}", "HTTP_X_BIRTH_YEAR": str(year)}


def answer(link, measure_request, answers=None):
    answers = [{"link_id": "pain", "value": 3}] if answers is None else answers
    path = f"{MEASURES}{measure_request.pk}/"
    return APIClient().post(path, {"answers": answers}, format="json", **through(link))


def send(patient, therapist, code="nprs"):
    return services.request_measure(patient=patient, instrument=instrument(code), requested_by=therapist)[0]


def test_the_app_lists_what_waits_with_its_questions(link, patient, therapist):
    measure_request = send(patient, therapist)

    body = APIClient().get(MEASURES, **through(link)).json()

    assert [entry["id"] for entry in body] == [str(measure_request.pk)]
    assert body[0]["items"][0]["text"] == "How strong has your pain been over the last 24 hours?"
    assert [option["value"] for option in body[0]["items"][0]["options"]] == list(range(11))


def test_the_questions_come_in_the_patients_language(link, patient, therapist):
    patient.preferred_language = "es"
    patient.save()
    send(patient, therapist, "groc")

    body = APIClient().get(MEASURES, **through(link)).json()

    assert body[0]["title"] == "Valoración global del cambio"
    assert body[0]["items"][0]["options"][0]["label"] == "-7 · Muchísimo peor"


def test_a_licensed_measure_comes_in_the_clinics_wording(link, patient, therapist, clinic_admin):
    patient.preferred_language = "es"
    patient.save()
    load_wording(patient.clinic, "odi", clinic_admin)
    send(patient, therapist, "odi")

    body = APIClient().get(MEASURES, **through(link)).json()

    assert body[0]["title"] == "Back trouble questionnaire (test wording)"
    assert body[0]["items"][0]["text"] == "How much does your back trouble bother you today?"
    assert body[0]["items"][0]["options"][0] == {"value": 0, "label": "Not at all"}


def test_answers_arrive_scored_and_the_request_is_answered(link, patient, therapist):
    measure_request = send(patient, therapist)

    response = APIClient().post(
        f"{MEASURES}{measure_request.pk}/",
        {"answers": [{"link_id": "pain", "value": 3}]},
        format="json",
        **through(link),
    )

    assert response.status_code == 201
    assert set(response.json()) == {"id", "instrument", "taken_at"}
    measure = MeasureResponse.objects.get()
    assert (measure.score, measure.source) == (3, "patient")
    assert MeasureRequest.objects.get().status == "answered"


def test_a_second_answer_is_refused_and_nothing_is_written(link, patient, therapist):
    measure_request = send(patient, therapist)
    answer(link, measure_request)

    again = answer(link, measure_request)

    assert again.status_code == 400
    assert again.json()["errors"][0]["attr"] == "request"
    assert MeasureResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "attr"),
    [
        ([{"link_id": "pain", "value": 11}], "answers.0.value"),
        ([{"link_id": "nothing", "value": 1}], "answers.0.link_id"),
        ([], "answers"),
        ("pain", "answers"),
    ],
)
def test_bad_answers_are_refused_in_the_error_shape_and_nothing_is_written(
    link, patient, therapist, answers, attr
):
    measure_request = send(patient, therapist)

    response = APIClient().post(
        f"{MEASURES}{measure_request.pk}/", {"answers": answers}, format="json", **through(link)
    )

    assert response.status_code == 400
    assert attr in [error["attr"] for error in response.json()["errors"]]
    assert not MeasureResponse.objects.exists()


def test_another_patients_request_is_not_found(link, clinic, therapist):
    someone_else = PatientFactory(clinic=clinic)
    open_link_for(someone_else)
    theirs = send(someone_else, therapist)

    response = APIClient().post(
        f"{MEASURES}{theirs.pk}/",
        {"answers": [{"link_id": "pain", "value": 3}]},
        format="json",
        **through(link),
    )

    assert response.status_code == 404
    assert not MeasureResponse.objects.exists()


def test_the_wrong_year_reads_nothing(link, patient, therapist):
    send(patient, therapist)

    response = APIClient().get(MEASURES, **through(link, year=1990))

    assert response.status_code == 403
    assert "pain" not in response.content.decode()


def test_reading_and_answering_leave_one_event_each(link, patient, therapist):
    measure_request = send(patient, therapist)
    before = AuditEvent.objects.count()

    APIClient().get(MEASURES, **through(link))
    APIClient().post(
        f"{MEASURES}{measure_request.pk}/",
        {"answers": [{"link_id": "pain", "value": 3}]},
        format="json",
        **through(link),
    )

    events = AuditEvent.objects.order_by("id")[before:]
    assert [(event.action, event.object_type) for event in events] == [
        ("view", "plan"),
        ("create", "measureresponse"),
    ]


def test_the_list_costs_the_same_queries_for_one_measure_or_three(link, patient, therapist):
    send(patient, therapist, "nprs")
    with CaptureQueriesContext(connection) as one:
        APIClient().get(MEASURES, **through(link))
    send(patient, therapist, "psfs")
    send(patient, therapist, "groc")
    with CaptureQueriesContext(connection) as three:
        APIClient().get(MEASURES, **through(link))

    assert len(three) == len(one)


def test_the_list_reads_the_clinics_wordings_once_for_all_licensed_measures(
    link, patient, therapist, clinic_admin
):
    for code in ("odi", "ndi", "lefs", "quickdash"):
        made_up_wording(patient.clinic, code, clinic_admin)
    send(patient, therapist, "odi")
    with CaptureQueriesContext(connection) as one:
        APIClient().get(MEASURES, **through(link))
    for code in ("ndi", "lefs", "quickdash"):
        send(patient, therapist, code)
    with CaptureQueriesContext(connection) as four:
        body = APIClient().get(MEASURES, **through(link)).json()

    assert len(body) == 4
    assert len(four) == len(one)
