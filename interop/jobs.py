"""
What each kind of export job writes. ``run(job)`` is called by the Celery task once
the job is claimed; it writes the files to the ``exports`` storage, reports progress
on the job as it goes, and stops early (returning False) if the job was cancelled.

Every writer starts from nothing (a retried job overwrites what a killed attempt
left), so running a job twice gives the same files.
"""

import csv
import datetime
import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from pypdf import PdfWriter

from assessments.handouts import record_print, render_handout
from assessments.models import Assessment, Plan, StepFinding, TestResult
from clinic import audit
from clinic.models import AuditEvent

from .management.commands.export_csv import COLUMNS, IDENTIFYING_COLUMNS, Pseudonymizer
from .management.commands.export_csv import Command as CSVCommand
from .models import ExportJob
from .ndjson import DirectoryOutput, ExportParameters, export_clinic

PATIENT_COMPARTMENT = (
    "Patient",
    "Encounter",
    "Observation",
    "CarePlan",
    "ServiceRequest",
    "DocumentReference",
    "QuestionnaireResponse",
)
CLINIC_TYPES = ("Organization", "Practitioner", "PractitionerRole")
RESOURCE_TYPES = PATIENT_COMPARTMENT + CLINIC_TYPES


class ScratchFile(File):
    """A file the job wrote in its scratch directory. Storage on the same disk moves
    it into place instead of copying it (``FileSystemStorage`` moves any file that
    has a ``temporary_file_path``): an export's files can run to gigabytes."""

    def temporary_file_path(self):
        return self.name


class Cancelled(Exception):
    """The job was cancelled (or taken from this worker) while it ran."""


class NothingToDo(Exception):
    """What the job was asked for is gone by the time it runs; the message says what,
    for the person who asked."""


def chunk_size():
    return settings.GLIDE_EXPORT_CHUNK_SIZE


def run(job):
    """Write ``job``'s files and mark it completed. False if it was cancelled.

    A writer returns its files' entries and what to record once they are kept (or
    None): that record is written in one transaction with the job's completion, so a
    worker that dies halfway and a retried job leave no trace of work nobody got."""
    job.remove_files()
    writer = {
        ExportJob.Kind.FHIR_PATIENTS: write_fhir,
        ExportJob.Kind.FHIR_CLINIC: write_fhir,
        ExportJob.Kind.RESEARCH_CSV: write_research_csv,
        ExportJob.Kind.HANDOUTS: write_handouts,
    }[job.kind]
    transaction_time = timezone.now()
    job.transaction_time = transaction_time
    try:
        with tempfile.TemporaryDirectory(prefix="glide-export-") as scratch:
            output, on_completion = writer(job, Path(scratch))
            for entry in output:
                with (Path(scratch) / entry["name"]).open("rb") as handle:
                    job.storage().save(job.file_name(entry["name"]), ScratchFile(handle))
    except Cancelled:
        job.remove_files()
        return False
    with transaction.atomic():
        completed = job.complete(output, transaction_time=transaction_time)
        if completed and on_completion is not None:
            on_completion()
    return completed


def _report(job, done, total=None):
    if not job.report(done, total):
        raise Cancelled


# --- FHIR Bulk Data NDJSON -----------------------------------------------------------------


def write_fhir(job, scratch):
    """One NDJSON file per resource type, written by ``manage.py export_fhir``'s
    ``export_clinic`` with the job's ``_since`` and ``_type``."""
    parameters = job.parameters
    default_types = RESOURCE_TYPES if job.kind == ExportJob.Kind.FHIR_CLINIC else PATIENT_COMPARTMENT
    export = ExportParameters(
        site_url=parameters.get("site_url", ""),
        chunk_size=chunk_size(),
        since=datetime.datetime.fromisoformat(parameters["since"]) if parameters.get("since") else None,
        types=frozenset(parameters.get("types") or default_types),
    )

    def progress(done, total):
        _report(job, done, total)

    with DirectoryOutput(scratch) as output:
        counts = export_clinic(job.clinic, export, output, progress=progress)
    files = [
        {"type": resource_type, "name": f"{resource_type}.ndjson", "count": count}
        for resource_type, count in sorted(counts.items())
    ]
    return files, None


# --- The research CSV ----------------------------------------------------------------------


def write_research_csv(job, scratch):
    """The file of ``manage.py export_csv``, written by the worker."""
    deidentify = bool(job.parameters.get("deidentify"))
    pseudonymizer = Pseudonymizer(None) if deidentify else None
    columns = [c for c in COLUMNS if c not in IDENTIFYING_COLUMNS] if deidentify else COLUMNS
    results = (
        TestResult.objects.filter(assessment__clinic=job.clinic)
        .select_related("assessment__patient", "test")
        .prefetch_related(models.Prefetch("findings", queryset=StepFinding.objects.select_related("step")))
        .order_by("assessment__patient_id", "assessment__performed_at", "test__code", "side")
    )
    total = results.count()
    _report(job, 0, total)
    size = chunk_size()
    rows = 0
    name = "research-deidentified.csv" if deidentify else "research.csv"
    command = CSVCommand()
    with (scratch / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for done, result in enumerate(results.iterator(chunk_size=size), 1):
            for row in command.rows(result, pseudonymizer):
                writer.writerow(row)
                rows += 1
            if done % size == 0:
                _report(job, done)
    _report(job, total)
    return [{"type": "text/csv", "name": name, "count": rows}], None


# --- Handouts in one PDF -------------------------------------------------------------------


def active_plans_seen_on(clinic, day):
    """The active plans of the clinic's patients assessed on ``day`` (in the server's
    time zone)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    seen = Assessment.objects.filter(
        clinic=clinic, performed_at__gte=start, performed_at__lt=start + datetime.timedelta(days=1)
    ).values("patient_id")
    return Plan.objects.filter(clinic=clinic, patient_id__in=seen, status=Plan.Status.ACTIVE)


def plans_to_print(clinic, parameters):
    """The plans a batch prints, by the patients' names: those chosen, or the latest
    active plan of each patient seen on the day."""
    related = ("patient", "clinic", "therapist")
    if parameters.get("plans"):
        chosen = list(Plan.objects.filter(clinic=clinic, pk__in=parameters["plans"]).select_related(*related))
    else:
        latest = {}
        active = active_plans_seen_on(clinic, parse_date(parameters["day"])).select_related(*related)
        for plan in active.order_by("-start_date", "-created_at"):
            latest.setdefault(plan.patient_id, plan)
        chosen = list(latest.values())
    return sorted(chosen, key=lambda plan: (plan.patient.family_name, plan.patient.given_name, str(plan.pk)))


def write_handouts(job, scratch):
    """Each plan's handout bound into one PDF; once the file is kept, each is
    traced as a print like one printed alone."""
    plans = plans_to_print(job.clinic, job.parameters)
    if not plans:
        raise NothingToDo(
            "No patient assessed on this day has an active plan any more, so there is no handout to print."
        )
    _report(job, 0, len(plans))
    bound = PdfWriter()
    rendered = []
    for done, plan in enumerate(plans, 1):
        rendered.append(render_handout(plan))
        bound.append(io.BytesIO(rendered[-1].pdf))
        _report(job, done)
    name = "handouts.pdf"
    with (scratch / name).open("wb") as handle:
        bound.write(handle)

    def record_prints():
        for handout in rendered:
            record_print(handout, user=job.requested_by)

    return [{"type": "application/pdf", "name": name, "count": len(plans)}], record_prints


def record_download(request, job, entry):
    """One audit event per file handed out."""
    audit.record(
        request,
        AuditEvent.Action.EXPORT,
        clinic=job.clinic,
        object_type="exportjob",
        object_id=str(job.pk),
        status_code=200,
        format=job.kind,
        file=entry["name"],
        count=entry["count"],
    )
