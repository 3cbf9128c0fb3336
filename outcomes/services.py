"""
Writes of outcome measures, each one transaction: recording a response (from the
API, the clinician's page and the patient's page alike), importing a clinic's
licensed wording, asking a patient to fill a measure in.

Problems are raised as Django ``ValidationError`` keyed by the request's field
paths (``answers.2.value``), which the API answers as 400s and the pages show
beside the fields. Nothing is written when one is raised.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import PatientLink

from . import fhir, scoring
from .models import InstrumentWording, MeasureRequest, MeasureResponse

# A device's clock a little ahead of the server's is not a date in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def wording_for(instrument, clinic):
    """The clinic's imported wording of ``instrument`` (None if not loaded)."""
    if not instrument.wording_from_clinic:
        return None
    return InstrumentWording.objects.filter(clinic=clinic, instrument=instrument).first()


def wordings_for(instruments, clinic):
    """The clinic's imported wordings of ``instruments``, by instrument id: one query
    for a whole list, none when every instrument ships with its wording."""
    licensed = {instrument.pk for instrument in instruments if instrument.wording_from_clinic}
    if not licensed:
        return {}
    wordings = InstrumentWording.objects.filter(clinic=clinic, instrument_id__in=licensed)
    return {wording.instrument_id: wording for wording in wordings}


def can_be_given(instrument, clinic):
    return not instrument.wording_from_clinic or wording_for(instrument, clinic) is not None


def _error(field, message, code):
    return ValidationError({field: ValidationError(message, code=code)})


@transaction.atomic
def record_response(
    *,
    patient,
    instrument,
    taken_at,
    answers,
    recorded_by=None,
    source=MeasureResponse.Source.CLINICIAN,
    assessment=None,
    replaces=None,
    correction_reason="",
    measure_request=None,
):
    """Check, score and record one response, signed now. ``replaces`` (with a
    ``correction_reason``) corrects an earlier response of the same measure;
    ``measure_request`` is the patient's pending request it answers."""
    errors = {}
    if patient.is_archived:
        errors["patient"] = ValidationError("The patient is archived.", code="archived")
    if not can_be_given(instrument, patient.clinic):
        errors["instrument"] = ValidationError(
            f"The {instrument.short_name} needs its wording: a clinic admin loads it first.",
            code="wording_not_loaded",
        )
    if taken_at > timezone.now() + CLOCK_SKEW:
        errors["taken_at"] = ValidationError("The date is in the future.", code="future")
    if assessment is not None and assessment.patient_id != patient.pk:
        errors["assessment"] = ValidationError("That visit is another patient's.", code="invalid")
    if replaces is not None:
        replaces = MeasureResponse.objects.select_for_update().filter(pk=replaces.pk).first()
        if replaces is None or replaces.patient_id != patient.pk or replaces.instrument_id != instrument.pk:
            errors["replaces"] = ValidationError(
                "Only a response of this patient to this measure can be corrected.", code="invalid"
            )
        elif MeasureResponse.objects.filter(replaces=replaces).exists():
            errors["replaces"] = ValidationError(
                "That response was already corrected: correct the newer one.", code="already_replaced"
            )
        if not (correction_reason or "").strip():
            errors["correction_reason"] = ValidationError("Say why it is corrected.", code="required")
    values = {}
    try:
        values = scoring.check_answers(instrument.items, answers)
    except scoring.AnswerError as problems:
        for attr, code, message in problems.errors:
            errors.setdefault(attr, ValidationError(message, code=code))
    if errors:
        raise ValidationError(errors)

    scored, interpretation = instrument.score_answers(values)
    by_link = {answer["link_id"]: answer for answer in answers}
    stored_answers = []
    for item in instrument.items:
        if item["link_id"] in values:
            answer = {"link_id": item["link_id"], "value": values[item["link_id"]]}
            if item.get("names_activity"):
                answer["activity"] = str(by_link[item["link_id"]]["activity"]).strip()[:120]
            stored_answers.append(answer)
    response = MeasureResponse.objects.create(
        clinic=patient.clinic,
        patient=patient,
        instrument=instrument,
        assessment=assessment,
        taken_at=taken_at,
        answers=stored_answers,
        score=scored.score,
        score_percent=scored.score_percent,
        interpretation=interpretation[:300],
        source=source,
        recorded_by=recorded_by,
        replaces=replaces,
        correction_reason=(correction_reason or "").strip()[:300] if replaces else "",
    )
    if measure_request is not None:
        answered = MeasureRequest.objects.filter(pk=measure_request.pk, status=MeasureRequest.Status.PENDING)
        if not answered.update(
            status=MeasureRequest.Status.ANSWERED, response=response, answered_at=timezone.now()
        ):
            raise ValidationError(
                {"request": ValidationError("That request was already answered.", code="invalid")}
            )
    return response


@transaction.atomic
def import_wording(*, clinic, instrument, questionnaire, imported_by):
    """Load (or replace) the clinic's wording of a licensed instrument from a
    parsed FHIR Questionnaire."""
    if not instrument.wording_from_clinic:
        raise _error("instrument", f"The {instrument.short_name} ships with its wording.", "invalid")
    fields = fhir.wording_from_questionnaire(instrument, questionnaire)
    wording, _ = InstrumentWording.objects.update_or_create(
        clinic=clinic, instrument=instrument, defaults={**fields, "imported_by": imported_by}
    )
    return wording


@transaction.atomic
def request_measure(*, patient, instrument, requested_by):
    """Ask the patient to fill the measure in on their link's page (they need an
    open one). One pending request per patient and measure: asking again returns
    the pending one."""
    if patient.is_archived:
        raise _error("patient", "The patient is archived.", "archived")
    if not can_be_given(instrument, patient.clinic):
        raise _error(
            "instrument",
            f"The {instrument.short_name} needs its wording before a patient can fill it in.",
            "wording_not_loaded",
        )
    if not PatientLink.objects.filter(plan__patient=patient).open().exists():
        raise _error(
            "patient",
            "The patient has no open link to their exercises: make one from their plan first.",
            "no_link",
        )
    pending = MeasureRequest.objects.select_for_update().filter(
        patient=patient, instrument=instrument, status=MeasureRequest.Status.PENDING
    )
    existing = pending.first()
    if existing is not None:
        return existing, False
    request = MeasureRequest.objects.create(
        clinic=patient.clinic, patient=patient, instrument=instrument, requested_by=requested_by
    )
    return request, True
