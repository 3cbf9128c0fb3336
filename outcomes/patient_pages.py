"""
The patient's side of outcome measures, on their private link's page: the measures
their therapist sent, listed under today's sessions, and each one's questions on a
page of its own, made for a phone. The answers arrive scored and signed, exactly as
if the clinician had recorded them, with ``source`` "patient"; in the audit trail
the link is the actor.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import AuditEvent
from clinic.pages import require_form_methods
from portal import access
from portal.pages import has_year_cookie, patient_page

from . import services
from .forms import MeasureItemsForm
from .models import MeasureRequest, MeasureResponse

Action = AuditEvent.Action


def patient_title(instrument, wording):
    """The measure's name as the patient reads it: Glide's own in their language,
    or the title of the clinic's licensed wording."""
    if instrument.wording_from_clinic:
        return (wording.title if wording else "") or instrument.name
    return _(instrument.name)


def requested_measures(request, link):
    """The section of the patient's page listing what the therapist sent."""
    if not has_year_cookie(request, link):
        return ""
    pending = list(MeasureRequest.objects.for_link(link).pending().select_related("instrument"))
    if not pending:
        return ""
    wordings = services.wordings_for([measure_request.instrument for measure_request in pending], link.clinic)
    for measure_request in pending:
        wording = wordings.get(measure_request.instrument_id)
        measure_request.title = patient_title(measure_request.instrument, wording)
    return render_to_string(
        "outcomes/patient_requests.html", {"requests": pending, "link": link}, request=request
    )


@require_form_methods
@patient_page
def answer_measure(request, link, pk):
    """One measure the therapist sent: its questions, then the patient's answers."""
    if not has_year_cookie(request, link):
        return redirect(link.path)
    measure_request = get_object_or_404(
        MeasureRequest.objects.for_link(link).select_related("instrument"), pk=pk
    )
    instrument = measure_request.instrument
    wording = services.wording_for(instrument, link.clinic)
    items = instrument.patient_items(wording)
    if measure_request.status != MeasureRequest.Status.PENDING or items is None:
        messages.info(request, _("These questions are already answered, or no longer needed. Thank you."))
        return redirect(link.path)

    form = MeasureItemsForm(
        request.POST if request.method == "POST" else None, instrument=instrument, items=items
    )
    if form.is_bound and form.is_valid():
        if not form.answers():
            form.add_error(None, _("Please answer at least one question."))
        else:
            try:
                response = services.record_response(
                    patient=link.plan.patient,
                    instrument=instrument,
                    taken_at=timezone.now(),
                    answers=form.answers(),
                    source=MeasureResponse.Source.PATIENT,
                    measure_request=measure_request,
                )
            except ValidationError:
                form.add_error(None, _("We could not save your answers. Please call your clinic."))
            else:
                access.record_access(request, link, Action.CREATE, response, instrument=instrument.code)
                messages.success(request, _("Thank you. Your answers are with your therapist."))
                return redirect(link.path)
    if not form.is_bound:
        access.record_access(request, link, Action.VIEW, measure_request, instrument=instrument.code)
    context = {
        "link": link,
        "clinic": link.clinic,
        "instrument": instrument,
        "title": patient_title(instrument, wording),
        "instructions": _(instrument.instructions) if instrument.instructions and not wording else "",
        "form": form,
    }
    return render(request, "outcomes/patient_measure.html", context, status=400 if form.is_bound else 200)
