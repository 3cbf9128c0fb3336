"""
Outcome measures on the patient's chart (a page of ``assessments``, which does not
import this app): ``{% load outcomes_chart %}``, then ``{% outcome_measures patient %}``
for what is due and each measure's series with its MCID band and a sentence about
the change, and ``{% record_measure_link assessment %}`` on an assessment's page.

A fixed number of queries whatever the number of responses: the clinic's schedule,
its wordings, the patient's current responses, pending requests and completed
plans, one query each.
"""

from django import template
from django.db.models import Max
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from assessments import charts
from portal.models import PatientLink

from .. import progress
from ..models import Instrument, InstrumentWording, MeasureRequest, MeasureSchedule

register = template.Library()


def _band(instrument, first_value):
    if instrument.mcid is None or first_value is None:
        return None
    low, high = instrument.charted_range
    return (max(low, first_value - instrument.mcid), min(high, first_value + instrument.mcid))


def chart_entry(entry):
    instrument = entry["instrument"]
    values = [
        (point["taken_at"].date(), getattr(point["response"], instrument.charted_field))
        for point in entry["points"]
        if getattr(point["response"], instrument.charted_field) is not None
    ]
    low, high = instrument.charted_range
    band = _band(instrument, values[0][1] if values else None)
    unit = "%" if instrument.charted_field == "score_percent" else ""
    title = f"{instrument.short_name} over {len(values)} score{'s' if len(values) != 1 else ''}"
    svg = charts.score_chart(
        title, values, chart_id=f"measure-{instrument.code}", low=low, high=high, band=band, unit=unit
    )
    return {**entry, "band": band, "svg": mark_safe(svg)}  # noqa: S308 (charts escapes all text)


def due_measures(patient, responses):
    """The clinic's scheduled measures that are due for the patient, with why."""
    schedules = MeasureSchedule.objects.filter(clinic_id=patient.clinic_id).select_related("instrument")
    latest = {}
    for response in responses:
        latest[response.instrument_id] = max(
            latest.get(response.instrument_id, response.taken_at), response.taken_at
        )
    discharged_at = patient.plans.filter(status="completed").aggregate(at=Max("updated_at"))["at"]
    due = []
    for schedule in schedules:
        reason = schedule.due_reason(latest.get(schedule.instrument_id), discharged_at=discharged_at)
        if reason:
            due.append({"instrument": schedule.instrument, "reason": reason})
    return due


@register.inclusion_tag("outcomes/_chart_measures.html", takes_context=True)
def outcome_measures(context, patient):
    request = context.get("request")
    responses = list(progress.current_responses(patient))
    series = [chart_entry(entry) for entry in progress.measure_series_of(responses)]
    loaded = set(
        InstrumentWording.objects.filter(clinic_id=patient.clinic_id).values_list("instrument_id", flat=True)
    )
    can_write = bool(getattr(request, "can_write", False)) and not patient.is_archived
    has_link = can_write and PatientLink.objects.filter(plan__patient=patient).open().exists()
    return {
        "request": request,
        "patient": patient,
        "series": series,
        "due": due_measures(patient, responses),
        "pending": list(
            MeasureRequest.objects.filter(patient=patient).pending().select_related("instrument")
        ),
        "sendable": [i for i in Instrument.objects.all() if not i.wording_from_clinic or i.pk in loaded]
        if has_link
        else [],
        "has_link": has_link,
        "can_write": can_write,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def record_measure_link(context, assessment):
    """A link to record an outcome measure at this visit."""
    request = context.get("request")
    if not getattr(request, "can_write", False) or assessment.patient.is_archived:
        return ""
    url = reverse("measure-new", args=[assessment.patient_id])
    return format_html('<a class="button" href="{}?assessment={}">Record a measure</a>', url, assessment.pk)
