"""
FHIR Bulk Data export (Bulk Data Access IG v2), asynchronous:

* ``GET /fhir/Patient/$export`` (every patient's record) and ``GET /fhir/$export``
  (the whole clinic, with its organisation and practitioners), with
  ``Prefer: respond-async``: 202 and ``Content-Location`` naming the status address.
  ``_since`` (an instant) and ``_type`` (resource types, comma-separated) narrow
  the export. A clinic runs one at a time: a second answers 429 with ``Retry-After``.
* ``GET /fhir/bulk-status/{id}``: 202 with ``X-Progress`` and ``Retry-After`` while it
  runs, then 200 with the manifest; ``DELETE`` cancels it (or removes its files).
* ``GET /fhir/bulk-files/{id}/{Type}.ndjson``: one output file, for members of the
  clinic only (``requiresAccessToken`` is true), until the export expires.

Exports are for the clinic's admins. The export runs on a Celery worker
(``interop.tasks``); its state is an ``ExportJob`` row, so any server answers the
polling. Every error is an OperationOutcome.
"""

from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import audit
from clinic.api import AuditedRefusalMixin
from clinic.models import AuditEvent, Clinic

from . import fhir, jobs, tasks
from .http import FHIRContentNegotiation, FHIRJSONRenderer, fhir_exception_handler
from .models import ExportJob

NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = {NDJSON, "application/ndjson", "ndjson"}
POLL_SECONDS = 2
# The errors every bulk-data operation may answer, each an OperationOutcome.
OUTCOMES = dict.fromkeys((400, 401, 403, 404, 429), OpenApiTypes.OBJECT)
BUSY_SECONDS = 30


class BulkDataView(AuditedRefusalMixin, APIView):
    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation
    basename = "exportjob"

    def get_exception_handler(self):
        return fhir_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.glide_error_format = True  # already an OperationOutcome when an error
        return response

    def admin_job(self, request, pk):
        """The job, if it is one of the caller's clinics' (else 404); only the
        clinic's admins may go further."""
        job = get_object_or_404(ExportJob.objects.for_user(request.user).select_related("clinic"), pk=pk)
        if not request.user.is_clinic_admin(job.clinic):
            self.checked_object = job.clinic
            self.permission_denied(request, "Only the clinic's admins may export its records.")
        return job


def _invalid(message):
    return ParseError(message)


class ExportKickOffView(BulkDataView):
    kind = None  # ExportJob.Kind.FHIR_PATIENTS or FHIR_CLINIC

    def target_clinic(self, request):
        clinics = Clinic.objects.for_user(request.user)
        slug = request.query_params.get("clinic")
        if slug:
            clinic = clinics.filter(slug=slug).first()
            if clinic is None:
                raise NotFound("You are not a member of a clinic with this slug.")
            return clinic
        candidates = list(clinics[:2])
        if not candidates:
            raise PermissionDenied("You are not a member of any clinic.")
        if len(candidates) > 1:
            raise _invalid("You belong to several clinics: say which one with ?clinic=<slug>.")
        return candidates[0]

    def export_parameters(self, request):
        """``_since``, ``_type`` and ``_outputFormat``, checked; a ParseError names
        what is wrong."""
        if "respond-async" not in request.headers.get("Prefer", ""):
            raise _invalid("A bulk export is asynchronous: send the header Prefer: respond-async.")
        output_format = request.query_params.get("_outputFormat")
        if output_format and output_format not in OUTPUT_FORMATS:
            raise _invalid(f"_outputFormat: only {NDJSON} is offered.")
        parameters = {
            "request": request.build_absolute_uri(),
            "site_url": request.build_absolute_uri("/").rstrip("/"),
        }
        since = request.query_params.get("_since")
        if since:
            moment = parse_datetime(since.replace(" ", "+"))
            if moment is None or moment.tzinfo is None:
                raise _invalid("_since: give a FHIR instant with its time zone, e.g. 2026-11-24T10:30:00Z.")
            parameters["since"] = moment.isoformat()
        offered = jobs.RESOURCE_TYPES if self.kind == ExportJob.Kind.FHIR_CLINIC else jobs.PATIENT_COMPARTMENT
        types = [name.strip() for value in request.query_params.getlist("_type") for name in value.split(",")]
        types = [name for name in types if name]
        unknown = [name for name in types if name not in offered]
        if unknown:
            raise _invalid(
                f"_type: this export does not offer {', '.join(unknown)}; it offers {', '.join(offered)}."
            )
        if types:
            parameters["types"] = types
        return parameters

    @extend_schema(
        responses={202: None, **OUTCOMES},
        parameters=[
            OpenApiParameter(
                "Prefer", str, OpenApiParameter.HEADER, required=True, description="respond-async"
            ),
            OpenApiParameter("_since", OpenApiTypes.DATETIME, description="Only what changed since then."),
            OpenApiParameter("_type", str, description="Resource types, comma-separated."),
            OpenApiParameter("_outputFormat", str, description="application/fhir+ndjson (the default)."),
            OpenApiParameter("clinic", str, description="The clinic's slug, when you belong to several."),
        ],
        description="Start a FHIR Bulk Data export (asynchronous). 202 with Content-Location.",
    )
    def get(self, request):
        clinic = self.target_clinic(request)
        if not request.user.is_clinic_admin(clinic):
            self.checked_object = clinic
            self.permission_denied(request, "Only the clinic's admins may export its records.")
        parameters = self.export_parameters(request)
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    clinic=clinic, requested_by=request.user, kind=self.kind, parameters=parameters
                )
                tasks.start(job)
        except IntegrityError:
            raise Throttled(
                wait=BUSY_SECONDS,
                detail="An export of this clinic is already running; try again when it ends.",
            ) from None
        audit.record(
            request,
            AuditEvent.Action.EXPORT,
            clinic=clinic,
            object_type="exportjob",
            object_id=str(job.pk),
            status_code=status.HTTP_202_ACCEPTED,
            format=self.kind,
            since=parameters.get("since"),
            types=parameters.get("types"),
        )
        location = request.build_absolute_uri(f"/fhir/bulk-status/{job.pk}")
        return Response(status=status.HTTP_202_ACCEPTED, headers={"Content-Location": location})


class PatientExportView(ExportKickOffView):
    kind = ExportJob.Kind.FHIR_PATIENTS


class ClinicExportView(ExportKickOffView):
    kind = ExportJob.Kind.FHIR_CLINIC


def manifest(request, job):
    def file_url(entry):
        return request.build_absolute_uri(f"/fhir/bulk-files/{job.pk}/{entry['name']}")

    return {
        "transactionTime": fhir.instant(job.transaction_time),
        "request": job.parameters.get("request", ""),
        "requiresAccessToken": True,
        "output": [
            {"type": entry["type"], "url": file_url(entry), "count": entry["count"]} for entry in job.output
        ],
        "error": [],
    }


class ExportStatusView(BulkDataView):
    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, 202: None, **OUTCOMES},
        description="An export's progress or manifest.",
    )
    def get(self, request, pk):
        job = self.admin_job(request, pk)
        if job.kind not in ExportJob.FHIR_KINDS or job.state == ExportJob.State.CANCELLED:
            raise NotFound("No bulk export has this address.")
        if job.is_active:
            progress = f"{job.progress}% ({job.done} of {job.total} patients)" if job.total else "waiting"
            return Response(
                status=status.HTTP_202_ACCEPTED,
                headers={"X-Progress": progress, "Retry-After": str(POLL_SECONDS)},
            )
        if job.state == ExportJob.State.FAILED:
            outcome = fhir.operation_outcome(
                [fhir.issue(job.error or "The export failed.", code="exception")]
            )
            return Response(outcome, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        return Response(
            manifest(request, job), headers={"Expires": job.expires_at.strftime("%a, %d %b %Y %H:%M:%S GMT")}
        )

    @extend_schema(
        responses={202: None, **OUTCOMES}, description="Cancel an export, or remove a finished one's files."
    )
    def delete(self, request, pk):
        job = self.admin_job(request, pk)
        if job.kind not in ExportJob.FHIR_KINDS or job.state == ExportJob.State.CANCELLED:
            raise NotFound("No bulk export has this address.")
        job.cancel()
        audit.record(
            request,
            AuditEvent.Action.DELETE,
            clinic=job.clinic,
            object_type="exportjob",
            object_id=str(job.pk),
            status_code=status.HTTP_202_ACCEPTED,
            format=job.kind,
        )
        return Response(status=status.HTTP_202_ACCEPTED)


class ExportFileView(BulkDataView):
    @extend_schema(
        responses={(200, NDJSON): OpenApiTypes.BINARY, **OUTCOMES},
        description="One NDJSON file of an export.",
    )
    def get(self, request, pk, name):
        job = self.admin_job(request, pk)
        entry = job.output_file(name) if job.kind in ExportJob.FHIR_KINDS and not job.is_active else None
        if entry is None or job.state != ExportJob.State.COMPLETED:
            raise NotFound("No export file has this address (it may have expired).")
        handle = job.storage().open(job.file_name(name), "rb")
        jobs.record_download(request, job, entry)
        return FileResponse(handle, content_type=NDJSON)
