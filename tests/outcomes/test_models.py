"""A submitted response never changes; the shipped instruments load from data and
update in place; the service that records a response checks before it writes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import ProtectedRecordError
from outcomes import services
from outcomes.catalogue import load_instruments
from outcomes.instruments import INSTRUMENTS
from outcomes.models import Instrument, MeasureRequest, MeasureResponse
from tests.factories import instrument, open_link_for, record_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(patient, therapist):
    return record_measure(patient, "nprs", {"pain": 6}, by=therapist)


def test_a_response_cannot_be_saved_again(response):
    response.score = 2
    with pytest.raises(ProtectedRecordError):
        response.save()
    assert MeasureResponse.objects.get(pk=response.pk).score == 6


@pytest.mark.parametrize("change", ["update", "delete", "delete_one"])
def test_a_response_cannot_be_changed_or_deleted_in_bulk_or_alone(response, change):
    with pytest.raises(ProtectedRecordError):
        if change == "update":
            MeasureResponse.objects.filter(pk=response.pk).update(score=1)
        elif change == "delete":
            MeasureResponse.objects.filter(pk=response.pk).delete()
        else:
            response.delete()
    assert MeasureResponse.objects.filter(pk=response.pk, score=6).exists()


def test_a_correction_without_a_reason_is_refused_by_the_database(response, patient, therapist):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureResponse.objects.create(
            clinic=patient.clinic, patient=patient, instrument=response.instrument, taken_at=timezone.now(),
            answers=[], interpretation="", replaces=response,
        )  # fmt: skip


def test_the_shipped_instruments_are_loaded_by_the_migrations():
    assert set(Instrument.objects.values_list("code", flat=True)) == {entry["code"] for entry in INSTRUMENTS}


def test_loading_again_updates_in_place_and_keeps_responses(response):
    Instrument.objects.filter(code="nprs").update(name="Old name")

    load_instruments(Instrument)

    assert Instrument.objects.get(code="nprs").name == "Numeric Pain Rating Scale"
    assert MeasureResponse.objects.get(pk=response.pk).instrument.code == "nprs"


def test_answering_a_request_marks_it_answered(patient, therapist):
    open_link_for(patient)
    request, created = services.request_measure(
        patient=patient, instrument=instrument("nprs"), requested_by=therapist
    )

    answered = services.record_response(
        patient=patient, instrument=instrument("nprs"), taken_at=timezone.now(),
        answers=[{"link_id": "pain", "value": 2}], source="patient", measure_request=request,
    )  # fmt: skip

    request.refresh_from_db()
    assert created and (request.status, request.response) == ("answered", answered)
    assert answered.source == "patient" and answered.recorded_by is None


def test_an_answered_request_cannot_be_answered_again_and_nothing_is_written(patient, therapist):
    open_link_for(patient)
    request, _ = services.request_measure(
        patient=patient, instrument=instrument("nprs"), requested_by=therapist
    )
    MeasureRequest.objects.filter(pk=request.pk).update(status="answered")

    with pytest.raises(ValidationError):
        services.record_response(
            patient=patient, instrument=instrument("nprs"), taken_at=timezone.now(),
            answers=[{"link_id": "pain", "value": 2}], source="patient", measure_request=request,
        )  # fmt: skip
    assert not MeasureResponse.objects.exists()


def test_a_patient_without_an_open_link_cannot_be_sent_a_measure(patient, therapist):
    with pytest.raises(ValidationError) as refusal:
        services.request_measure(patient=patient, instrument=instrument("nprs"), requested_by=therapist)

    assert refusal.value.error_dict["patient"][0].code == "no_link"
    assert not MeasureRequest.objects.exists()


def test_an_archived_patients_measure_is_refused(patient, therapist):
    patient.archive()
    with pytest.raises(ValidationError) as refused:
        record_measure(patient, "nprs", {"pain": 2}, by=therapist)
    assert "patient" in refused.value.message_dict


def test_a_few_minutes_of_clock_difference_is_not_the_future(patient, therapist):
    response = services.record_response(
        patient=patient, instrument=instrument("nprs"), recorded_by=therapist,
        taken_at=timezone.now() + datetime.timedelta(minutes=2), answers=[{"link_id": "pain", "value": 2}],
    )  # fmt: skip
    assert response.pk
