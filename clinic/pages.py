"""
The people side of the clinician's web app: the clinic a user works in, the
clinic switcher, the patient list with add, edit and archive, and a patient's
audit history for the clinic's admins.

Every page works inside one clinic, the *current clinic*: the one the user chose
in the session among their memberships (their first one until they choose).
Records of any other clinic are simply not found.

Each page answers only the methods it means, and any other with 405 before it
looks at the user or the database: pages that read answer GET and HEAD, forms GET,
HEAD and POST, actions POST. A page whose answer is a recorded delivery (a
printed handout, an exported history) answers GET alone, so that a HEAD does not
record a print or an export that nobody received.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from . import audit
from .forms import AuditFilterForm, PatientForm, PatientSearchForm
from .models import AuditEvent, Clinic, Patient

# A form page: shown with GET (and HEAD), sent with POST.
require_form_methods = require_http_methods(["GET", "HEAD", "POST"])

SESSION_CLINIC_KEY = "glide_clinic_id"
PATIENTS_PER_PAGE = 50
AUDIT_EVENTS_PER_PAGE = 50


def clinic_page(view):
    """Log-in required, then ``request.clinic`` (the current clinic),
    ``request.clinics`` (all of the user's), ``request.can_write`` (whether the
    user may write clinical records in the current clinic) and
    ``request.is_clinic_admin``."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        clinics = list(Clinic.objects.for_user(request.user))
        if not clinics:
            return render(request, "clinic/no_clinic.html", status=403)
        chosen = request.session.get(SESSION_CLINIC_KEY)
        request.clinics = clinics
        request.clinic = next((clinic for clinic in clinics if str(clinic.pk) == chosen), clinics[0])
        request.can_write = request.user.can_write_clinical(request.clinic)
        request.is_clinic_admin = request.user.is_clinic_admin(request.clinic)
        # The clinic's days: dates and times on its pages are the clinic's own.
        with timezone.override(request.clinic.zone):
            return view(request, *args, **kwargs)

    return wrapped


def require_writer(request, target=None, **detail):
    """Viewers read only. The refusal is traced, outside any transaction, naming the
    record the viewer tried to change (``target``), so that it shows in that
    patient's history."""
    if not request.can_write:
        audit.record(
            request, AuditEvent.Action.DENIED, target, clinic=request.clinic, status_code=403, **detail
        )
        raise PermissionDenied("Your role in this clinic lets you read records, not change them.")


def clinic_patients(request):
    return Patient.objects.filter(clinic=request.clinic)


def get_patient(request, pk):
    return get_object_or_404(clinic_patients(request), pk=pk)


@require_POST
@clinic_page
def switch_clinic(request):
    clinic = next(
        (clinic for clinic in request.clinics if str(clinic.pk) == request.POST.get("clinic")), None
    )
    if clinic is None:
        messages.error(request, "Choose one of your clinics.")
    else:
        request.session[SESSION_CLINIC_KEY] = str(clinic.pk)
        messages.success(request, f"You are working in {clinic.name}.")
    return redirect("patient-list")


@require_safe
@clinic_page
def patient_list(request):
    search = PatientSearchForm(request.GET)
    search.is_valid()
    text = search.cleaned_data.get("q", "")
    show_archived = search.cleaned_data.get("archived", False)
    patients = clinic_patients(request).search(text)
    patients = patients if show_archived else patients.active()
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    audit.record(request, AuditEvent.Action.LIST, clinic=request.clinic, object_type="patient", q=text[:80])
    context = {"search": search, "page": page, "query": text, "show_archived": show_archived}
    if request.GET.get("partial"):
        return render(request, "clinic/_patient_rows.html", context)
    return render(request, "clinic/patient_list.html", context)


@require_form_methods
@clinic_page
def patient_add(request):
    require_writer(request, object_type="patient")
    form = PatientForm(request.POST or None, clinic=request.clinic)
    if request.method == "POST" and form.is_valid():
        patient = form.save()
        audit.record(request, AuditEvent.Action.CREATE, patient)
        messages.success(request, f"{patient.full_name} was added.")
        return redirect("patient-chart", pk=patient.pk)
    return render(request, "clinic/patient_form.html", {"form": form})


@require_form_methods
@clinic_page
def patient_edit(request, pk):
    patient = get_patient(request, pk)
    require_writer(request, patient)
    form = PatientForm(request.POST or None, instance=patient, clinic=request.clinic)
    if request.method == "POST":
        if form.is_valid():
            patient = form.save(commit=False)
            patient.version += 1
            patient.save()
            audit.record(request, AuditEvent.Action.UPDATE, patient, fields=form.changed_data)
            messages.success(request, f"{patient.full_name}'s details were saved.")
            return redirect("patient-chart", pk=patient.pk)
    else:
        audit.record(request, AuditEvent.Action.VIEW, patient)
    return render(request, "clinic/patient_form.html", {"form": form, "patient": patient})


@require_POST
@clinic_page
def patient_archive(request, pk):
    patient = get_patient(request, pk)
    require_writer(request, patient)
    patient.archive()
    audit.record(request, AuditEvent.Action.ARCHIVE, patient)
    messages.success(request, f"{patient.full_name} was archived. Their records are kept.")
    return redirect("patient-chart", pk=patient.pk)


@require_POST
@clinic_page
def patient_restore(request, pk):
    patient = get_patient(request, pk)
    require_writer(request, patient)
    patient.restore()
    audit.record(request, AuditEvent.Action.RESTORE, patient)
    messages.success(request, f"{patient.full_name} is back on the patient list.")
    return redirect("patient-chart", pk=patient.pk)


# --- A patient's audit history --------------------------------------------------------


def audited_patient(request, pk):
    """The patient whose history a clinic admin reads. Another clinic's patient is not
    found; other members of the clinic are refused, and the refusal is traced like
    the API's, outside any transaction."""
    patient = get_patient(request, pk)
    if not request.is_clinic_admin:
        audit.record(request, AuditEvent.Action.DENIED, patient, part="audit", status_code=403)
        raise PermissionDenied("Only an admin of this clinic may read a patient's audit history.")
    return patient


@require_safe
@clinic_page
def patient_audit(request, pk):
    patient = audited_patient(request, pk)
    audit.record(request, AuditEvent.Action.VIEW, patient, part="audit")
    filters = AuditFilterForm(request.GET)
    page = None
    if filters.is_valid():
        events = filters.filter(AuditEvent.objects.for_user(request.user).for_patient(patient))
        page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "patient": patient,
        "filters": filters,
        "filter_query": filters.query_string(),
        "page": page,
        "nav": "patients",
    }
    return render(request, "clinic/patient_audit.html", context)


@require_GET
@clinic_page
def patient_audit_csv(request, pk):
    patient = audited_patient(request, pk)
    filters = AuditFilterForm(request.GET)
    if not filters.is_valid():
        return HttpResponseBadRequest("The filter is not valid: correct it on the audit history page.")
    audit.record(request, AuditEvent.Action.EXPORT, patient, part="audit", format="csv")
    events = filters.filter(AuditEvent.objects.for_user(request.user).for_patient(patient))
    response = StreamingHttpResponse(audit.iter_csv(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{patient.pk}.csv"'
    return response
