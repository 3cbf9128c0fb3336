"""The therapist sends a measure; the patient finds it on their link's page, answers
it on their phone, and it arrives scored and signed, once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clinic.models import AuditEvent
from outcomes import services
from outcomes.models import MeasureRequest, MeasureResponse

from ..factories import (
    PatientFactory,
    PatientLinkFactory,
    PlanFactory,
    PlanItemFactory,
    instrument,
    load_wording,
    made_up_wording,
    open_link_for,
)
from ..pages import mentions

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    return PatientLinkFactory(plan=plan)


@pytest.fixture
def phone(link):
    """The patient's phone, past the year of birth."""
    client = Client()
    client.post(link.path, {"birth_year": "1985"})
    return client


def send(patient, therapist, code="nprs"):
    measure_request, _ = services.request_measure(
        patient=patient, instrument=instrument(code), requested_by=therapist
    )
    return measure_request


def address(link, measure_request):
    return f"{link.path}measures/{measure_request.pk}/"


def test_the_page_lists_what_the_therapist_sent(phone, link, patient, therapist):
    measure_request = send(patient, therapist)

    text = phone.get(link.path).content.decode()

    assert "Questions from your therapist" in text
    assert address(link, measure_request) in text


def test_nothing_is_listed_when_nothing_was_sent(phone, link):
    assert "Questions from your therapist" not in phone.get(link.path).content.decode()


def test_the_questions_ask_nothing_before_the_year_of_birth(link, patient, therapist):
    measure_request = send(patient, therapist)

    response = Client().get(address(link, measure_request))

    assert response.status_code == 302 and response["Location"] == link.path


def test_the_patient_answers_and_the_response_arrives_scored(phone, link, patient, therapist):
    measure_request = send(patient, therapist)

    response = phone.post(address(link, measure_request), {"item-pain": "6"})

    assert response.status_code == 302 and response["Location"] == link.path
    measure = MeasureResponse.objects.get(patient=patient)
    assert (measure.score, measure.source, measure.recorded_by) == (6, "patient", None)
    measure_request.refresh_from_db()
    assert measure_request.status == "answered" and measure_request.response == measure


def test_the_answered_measure_leaves_the_page_with_a_thank_you(phone, link, patient, therapist):
    measure_request = send(patient, therapist)

    page = phone.post(address(link, measure_request), {"item-pain": "6"}, follow=True).content.decode()

    assert "Thank you. Your answers are with your therapist." in page
    assert "Questions from your therapist" not in page


def test_an_answered_measure_cannot_be_answered_twice(phone, link, patient, therapist):
    measure_request = send(patient, therapist)
    phone.post(address(link, measure_request), {"item-pain": "6"})

    response = phone.post(address(link, measure_request), {"item-pain": "2"})

    assert response.status_code == 302
    assert MeasureResponse.objects.filter(patient=patient).count() == 1


def test_no_answer_at_all_is_refused_and_nothing_is_written(phone, link, patient, therapist):
    measure_request = send(patient, therapist)

    response = phone.post(address(link, measure_request), {})

    assert response.status_code == 400
    assert "Please answer at least one question." in response.content.decode()
    assert not MeasureResponse.objects.exists()


def test_an_answer_outside_the_scale_is_refused_and_nothing_is_written(phone, link, patient, therapist):
    measure_request = send(patient, therapist)

    response = phone.post(address(link, measure_request), {"item-pain": "11"})

    assert response.status_code == 400
    assert not MeasureResponse.objects.exists()


def test_a_psfs_keeps_the_activities_the_patient_named(phone, link, patient, therapist):
    measure_request = send(patient, therapist, "psfs")
    answers = {f"item-activity-{n}": str(n + 3) for n in (1, 2, 3)}
    answers |= {f"activity-activity-{n}": name for n, name in ((1, "Stairs"), (2, "Driving"), (3, "Sitting"))}

    phone.post(address(link, measure_request), answers)

    measure = MeasureResponse.objects.get(patient=patient)
    assert [answer["activity"] for answer in measure.answers] == ["Stairs", "Driving", "Sitting"]
    assert measure.score == 5


def test_the_questions_read_in_the_patients_language(phone, link, patient, therapist):
    patient.preferred_language = "es"
    patient.save()
    measure_request = send(patient, therapist, "groc")

    text = phone.get(address(link, measure_request)).content.decode()

    assert "Desde su primera visita, ¿cómo ha cambiado su problema en general?" in text
    assert "-7 · Muchísimo peor" in text


def test_a_licensed_measure_reads_in_the_clinics_wording(
    phone, link, patient, therapist, clinic, clinic_admin
):
    load_wording(patient.clinic, "odi", clinic_admin)
    measure_request = send(patient, therapist, "odi")

    response = phone.get(address(link, measure_request))

    assert response.status_code == 200
    assert response.content.decode().count("<fieldset") == 10


def test_another_patients_request_is_not_found(phone, link, clinic, therapist):
    someone_else = PatientFactory(clinic=clinic)
    open_link_for(someone_else)
    measure_request = send(someone_else, therapist)

    response = phone.get(address(link, measure_request))

    assert response.status_code == 404
    assert not mentions(response.content.decode(), someone_else.family_name)


def test_a_revoked_link_shows_no_questions(phone, link, patient, therapist):
    measure_request = send(patient, therapist)
    link.revoke(by=therapist)

    response = phone.post(address(link, measure_request), {"item-pain": "6"})

    assert response.status_code == 404
    assert not MeasureResponse.objects.exists()


def test_reading_and_answering_are_in_the_audit_trail_with_the_link_as_actor(phone, link, patient, therapist):
    measure_request = send(patient, therapist)
    before = AuditEvent.objects.count()

    phone.get(address(link, measure_request))
    phone.post(address(link, measure_request), {"item-pain": "6"})

    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(event.action, event.object_type) for event in events] == [
        ("view", "measurerequest"),
        ("create", "measureresponse"),
    ]
    assert all(event.actor is None and event.detail["link"] == str(link.pk) for event in events)


def test_a_withdrawn_request_is_closed(phone, link, patient, therapist):
    measure_request = send(patient, therapist)
    MeasureRequest.objects.filter(pk=measure_request.pk).update(status="withdrawn")

    response = phone.get(address(link, measure_request))

    assert response.status_code == 302


def test_the_questions_cost_the_same_queries_however_many_items(phone, link, patient, therapist):
    one_item, five_items = send(patient, therapist, "nprs"), send(patient, therapist, "psfs")

    with CaptureQueriesContext(connection) as nprs:
        phone.get(address(link, one_item))
    with CaptureQueriesContext(connection) as psfs:
        phone.get(address(link, five_items))

    assert len(nprs) == len(psfs)


def test_the_list_reads_the_clinics_wordings_once_for_all_licensed_measures(
    phone, link, patient, therapist, clinic_admin
):
    for code in ("odi", "ndi", "lefs", "quickdash"):
        made_up_wording(patient.clinic, code, clinic_admin)
    send(patient, therapist, "odi")
    with CaptureQueriesContext(connection) as one:
        phone.get(link.path)
    for code in ("ndi", "lefs", "quickdash"):
        send(patient, therapist, code)
    with CaptureQueriesContext(connection) as four:
        text = phone.get(link.path).content.decode()

    assert text.count("(test wording)") == 4
    assert len(four) == len(one)
