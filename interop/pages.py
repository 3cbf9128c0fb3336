"""
The clinic's exports in the web app: a day's handouts printed as one PDF, and the
research CSV (for admins), each run as a background job whose progress the page
shows while it runs. The files are kept until the job expires (a day by default).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic import audit
from clinic.models import AuditEvent
from clinic.pages import clinic_page, require_writer

from . import jobs, tasks
from .forms import BatchPrintForm, ResearchExportForm
from .models import ExportJob

JOBS_SHOWN = 20


def clinic_jobs(request):
    """The jobs this page shows: batch prints, and research exports for admins."""
    kinds = [ExportJob.Kind.HANDOUTS]
    if request.is_clinic_admin:
        kinds.append(ExportJob.Kind.RESEARCH_CSV)
    return ExportJob.objects.filter(clinic=request.clinic, kind__in=kinds).select_related("requested_by")


def start_job(request, kind, parameters):
    with transaction.atomic():
        job = ExportJob.objects.create(
            clinic=request.clinic, requested_by=request.user, kind=kind, parameters=parameters
        )
        tasks.start(job)
    audit.record(
        request,
        AuditEvent.Action.CREATE,
        clinic=request.clinic,
        object_type="exportjob",
        object_id=str(job.pk),
        status_code=302,
        format=kind,
    )
    return job


@require_http_methods(["GET", "HEAD", "POST"])
@clinic_page
def export_list(request):
    print_form = BatchPrintForm(clinic=request.clinic)
    research_form = ResearchExportForm()
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == ExportJob.Kind.HANDOUTS:
            require_writer(request, object_type="exportjob", attempted="batch print")
            print_form = BatchPrintForm(request.POST, clinic=request.clinic)
            form = print_form
        elif kind == ExportJob.Kind.RESEARCH_CSV:
            if not request.is_clinic_admin:
                audit.record(
                    request, AuditEvent.Action.DENIED, clinic=request.clinic, status_code=403,
                    object_type="exportjob", attempted="research export",
                )  # fmt: skip
                raise PermissionDenied("Only the clinic's admins may export research data.")
            research_form = ResearchExportForm(request.POST)
            form = research_form
        else:
            form = None
        if form is not None and form.is_valid():
            job = start_job(request, kind, form.parameters())
            messages.success(request, f"{job.get_kind_display()} started.")
            return redirect("export-detail", pk=job.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "interop/export_list.html",
        {
            "jobs": clinic_jobs(request)[:JOBS_SHOWN],
            "print_form": print_form,
            "research_form": research_form,
            "nav": "exports",
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
@clinic_page
def export_detail(request, pk):
    job = get_object_or_404(clinic_jobs(request), pk=pk)
    return render(request, "interop/export_detail.html", {"job": job, "nav": "exports"})


@require_GET
@clinic_page
def export_download(request, pk):
    job = get_object_or_404(clinic_jobs(request), pk=pk, state=ExportJob.State.COMPLETED)
    if not job.output:
        raise Http404("This export has no file.")
    entry = job.output[0]
    handle = job.storage().open(job.file_name(entry["name"]), "rb")
    jobs.record_download(request, job, entry)
    return FileResponse(handle, as_attachment=True, filename=entry["name"], content_type=entry["type"])
