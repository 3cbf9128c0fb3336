"""
The clinician's pages of outcome measures: record a measure (on its own, or from
an assessment), see a response and correct it, send a measure to the patient, and,
for the clinic's admins, the instruments with their wording and the schedule of
which measures are due when.

Every page works in the current clinic (``clinic.pages.clinic_page``); writes go
through ``outcomes.services``, like the API's; every read of a patient's record
and every write leaves one audit event.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from clinic import audit
from clinic.models import AuditEvent
from clinic.pages import clinic_page, get_patient, require_form_methods, require_writer

from . import services
from .forms import ClinicianMeasureForm, ScheduleForm, WordingUploadForm
from .models import Instrument, InstrumentWording, MeasureResponse, MeasureSchedule

Action = AuditEvent.Action


def clinic_responses(request):
    return MeasureResponse.objects.filter(clinic=request.clinic)


def _place_errors(form, error):
    """A service's errors beside the form's fields (``answers.3.value`` -> the
    fourth answered item)."""
    answered = [
        entry for entry in form.item_fields if form.cleaned_data.get(entry["choice"]) not in (None, "")
    ]
    for key, messages_ in error.message_dict.items():
        parts = key.split(".")
        field = None
        if parts[0] == "answers" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(answered):
            field = answered[int(parts[1])]["activity" if parts[-1] == "activity" else "choice"]
        elif key in form.fields:
            field = key
        for message in messages_:
            form.add_error(field, message)


@require_form_methods
@clinic_page
def measure_new(request, pk):
    """Record a measure for the patient: pick the instrument, then answer it.
    ``?assessment=`` ties it to a visit; ``?replaces=`` corrects a response."""
    patient = get_patient(request, pk)
    require_writer(request, patient, object_type="measureresponse")
    source = request.POST if request.method == "POST" else request.GET
    replaces = None
    if source.get("replaces"):
        replaces = get_object_or_404(clinic_responses(request).filter(patient=patient), pk=source["replaces"])
    instrument = (
        replaces.instrument if replaces else Instrument.objects.filter(code=source.get("instrument")).first()
    )
    assessment = None
    if source.get("assessment"):
        assessment = get_object_or_404(patient.assessments.all(), pk=source["assessment"])
    wordings = {w.instrument_id: w for w in InstrumentWording.objects.filter(clinic=request.clinic)}
    context = {"patient": patient, "assessment": assessment, "replaces": replaces, "nav": "patients"}
    if instrument is None:
        audit.record(request, Action.VIEW, patient, part="measure picker")
        instruments = list(Instrument.objects.all())
        for entry in instruments:
            entry.can_be_given = not entry.wording_from_clinic or entry.pk in wordings
        return render(request, "outcomes/measure_pick.html", {**context, "instruments": instruments})
    items = instrument.patient_items(wordings.get(instrument.pk))
    if items is None:
        audit.record(request, Action.VIEW, patient, part="measure picker")
        messages.error(
            request, f"The {instrument.short_name} needs its wording: a clinic admin loads it first."
        )
        return redirect("measure-settings")
    form = ClinicianMeasureForm(
        request.POST or None, instrument=instrument, items=items, correcting=replaces is not None
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = services.record_response(
                patient=patient,
                instrument=instrument,
                taken_at=form.cleaned_data["taken_at"],
                answers=form.answers(),
                recorded_by=request.user,
                assessment=assessment,
                replaces=replaces,
                correction_reason=form.cleaned_data.get("correction_reason", ""),
            )
        except ValidationError as error:
            _place_errors(form, error)
        else:
            audit.record(request, Action.CREATE, response, instrument=instrument.code)
            messages.success(request, f"{instrument.short_name} recorded: {response.interpretation}")
            if assessment is not None:
                return redirect("assessment-detail", pk=assessment.pk)
            return redirect("patient-chart", pk=patient.pk)
    audit.record(request, Action.VIEW, patient, part="measure form", instrument=instrument.code)
    return render(request, "outcomes/measure_form.html", {**context, "instrument": instrument, "form": form})


@require_POST
@clinic_page
def measure_send(request, pk):
    """Ask the patient to fill the measure in on their private link's page."""
    patient = get_patient(request, pk)
    require_writer(request, patient, object_type="measurerequest")
    instrument = get_object_or_404(Instrument, code=request.POST.get("instrument", ""))
    try:
        measure_request, created = services.request_measure(
            patient=patient, instrument=instrument, requested_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            audit.record(request, Action.CREATE, measure_request, instrument=instrument.code)
            messages.success(
                request, f"The {instrument.short_name} is waiting for {patient.given_name} on their page."
            )
        else:
            audit.record(request, Action.VIEW, measure_request, instrument=instrument.code)
            messages.info(request, f"The {instrument.short_name} was already sent and is still waiting.")
    return redirect("patient-chart", pk=patient.pk)


@require_safe
@clinic_page
def measure_detail(request, pk):
    response = get_object_or_404(
        clinic_responses(request).select_related(
            "patient", "instrument", "recorded_by", "assessment", "replaces", "replaced_by"
        ),
        pk=pk,
    )
    audit.record(request, Action.VIEW, response)
    wording = InstrumentWording.objects.filter(clinic=request.clinic, instrument=response.instrument).first()
    items = response.instrument.worded_items(wording) or response.instrument.items
    by_link = {answer["link_id"]: answer for answer in response.answers}
    rows = []
    for number, item in enumerate(items, start=1):
        answer = by_link.get(item["link_id"])
        label = ""
        if answer is not None:
            label = next((o["label"] for o in item["options"] if o["value"] == answer["value"]), "")
        rows.append({"number": number, "item": item, "answer": answer, "label": label})
    context = {"response": response, "patient": response.patient, "rows": rows, "nav": "patients"}
    return render(request, "outcomes/measure_detail.html", context)


def _schedule_forms(request, instruments, schedules, data=None):
    forms = []
    for instrument in instruments:
        schedule = schedules.get(instrument.pk)
        form = ScheduleForm(
            data,
            instance=schedule or MeasureSchedule(clinic=request.clinic, instrument=instrument),
            prefix=instrument.code,
            initial={"wanted": schedule is not None},
        )
        forms.append((instrument, form))
    return forms


@require_form_methods
@clinic_page
def measure_settings(request):
    """The instruments, whether the clinic's wording is loaded, and which are due
    when. Members read it; admins change it."""
    instruments = list(Instrument.objects.all())
    schedules = {s.instrument_id: s for s in MeasureSchedule.objects.filter(clinic=request.clinic)}
    wordings = {w.instrument_id: w for w in InstrumentWording.objects.filter(clinic=request.clinic)}
    data = None
    if request.method == "POST":
        if not request.is_clinic_admin:
            audit.record(request, Action.DENIED, request.clinic, status_code=403, part="measure schedules")
            raise PermissionDenied("Only an admin of this clinic may change its measures.")
        data = request.POST
    forms = _schedule_forms(request, instruments, schedules, data)
    if data is not None and all(form.is_valid() for _, form in forms):
        changed = []
        for instrument, form in forms:
            existing = schedules.get(instrument.pk)
            if form.cleaned_data["wanted"]:
                form.save()
                changed.append(instrument.code)
            elif existing is not None:
                existing.delete()
                changed.append(instrument.code)
        audit.record(request, Action.UPDATE, request.clinic, part="measure schedules", instruments=changed)
        messages.success(request, "The schedule of measures is saved.")
        return redirect("measure-settings")
    rows = [
        {"instrument": instrument, "form": form, "wording": wordings.get(instrument.pk)}
        for instrument, form in forms
    ]
    context = {"rows": rows, "upload": WordingUploadForm(), "nav": "measures"}
    return render(request, "outcomes/measure_settings.html", context)


@require_POST
@clinic_page
def wording_import(request, code):
    """A clinic admin loads the clinic's licensed wording of an instrument."""
    instrument = get_object_or_404(Instrument, code=code, wording=Instrument.Wording.CLINIC)
    if not request.is_clinic_admin:
        audit.record(request, Action.DENIED, request.clinic, status_code=403, part="wording", instrument=code)
        raise PermissionDenied("Only an admin of this clinic may load wording.")
    upload = WordingUploadForm(request.POST, request.FILES)
    problems = []
    if upload.is_valid():
        try:
            data = json.loads(upload.cleaned_data["questionnaire"].read().decode("utf-8"))
            wording = services.import_wording(
                clinic=request.clinic, instrument=instrument, questionnaire=data, imported_by=request.user
            )
        except (UnicodeDecodeError, json.JSONDecodeError):
            problems = ["The file is not JSON."]
        except ValidationError as error:
            problems = error.messages
        else:
            audit.record(request, Action.IMPORT, wording, instrument=code)
            messages.success(
                request, f"The {instrument.short_name} wording is loaded for {request.clinic.name}."
            )
            return redirect("measure-settings")
    else:
        problems = [message for messages_ in upload.errors.values() for message in messages_]
    for problem in problems[:10]:
        messages.error(request, f"{instrument.short_name}: {problem}")
    return redirect("measure-settings")
