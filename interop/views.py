"""
The FHIR endpoints of the API: a patient's record as a Bundle, and a Patient
resource imported into a clinic. The mapping is in ``interop.fhir``; the read-only
FHIR server under ``/fhir/`` is ``interop.server``.

Both answer ``application/fhir+json`` whatever JSON the client accepts, and answer
their errors as FHIR clients expect them, an ``OperationOutcome``.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import audit
from clinic.api import AuditedRefusalMixin
from clinic.models import AuditEvent, Clinic, Patient

from . import fhir, records
from .http import FHIRContentNegotiation, FHIRJSONRenderer, FHIRView
from .patient_import import InvalidResource, import_patient


class PatientBundleView(AuditedRefusalMixin, APIView):
    """``GET /api/v1/patients/{id}/fhir/``: the patient's whole neurodynamic record
    as a FHIR R4 Bundle of type ``collection`` (the same resources as
    ``/fhir/Patient/{id}/$everything``). Any member of the patient's clinic, viewers
    included, may export it. Being an API address, it answers errors in the API's
    error shape; the FHIR server answers OperationOutcomes."""

    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation

    @extend_schema(
        operation_id="patients_fhir_bundle",
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "The patient's record as a FHIR R4 Bundle (type collection), application/fhir+json; "
            "the same resources as /fhir/Patient/{id}/$everything."
        ),
    )
    def get(self, request, pk):
        patient = get_object_or_404(records.with_records(Patient.objects.for_user(request.user)), pk=pk)
        bundle = records.patient_bundle(patient, site_url=request.build_absolute_uri("/").rstrip("/"))
        audit.record(
            request,
            AuditEvent.Action.EXPORT,
            patient,
            status_code=status.HTTP_200_OK,
            format="fhir-bundle",
            entries=len(bundle["entry"]),
        )
        return Response(bundle)


class PatientImportView(FHIRView):
    """``POST /api/v1/fhir/Patient``: create the Glide patient a FHIR Patient
    describes (201), or find the same person under the same chart number (200); the
    same chart number with other demographics is a conflict (409). ``Location``
    names the patient's resource on the FHIR server.

    The clinic is the caller's; a caller who belongs to several clinics says which
    with ``?clinic=<slug>``. Therapists and admins may import, viewers may not.
    """

    def target_clinic(self, request):
        clinics = Clinic.objects.for_user(request.user)
        slug = request.query_params.get("clinic")
        if slug:
            clinic = clinics.filter(slug=slug).first() if "\x00" not in slug else None
            if clinic is None:
                raise NotFound("You are not a member of a clinic with this slug.")
            return clinic
        candidates = list(clinics[:2])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise PermissionDenied("You are not a member of any clinic.")
        return None

    @extend_schema(
        operation_id="fhir_patient_import",
        request={"application/fhir+json": OpenApiTypes.OBJECT, "application/json": OpenApiTypes.OBJECT},
        responses={
            200: OpenApiTypes.OBJECT,
            201: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
        parameters=[
            OpenApiParameter(
                "clinic", str, description="The clinic's slug; required when you belong to several clinics."
            )
        ],
        description=(
            "Create a patient from a FHIR R4 Patient resource, or find the same person under the same chart "
            "number (a different person under it answers 409). The sender's identifiers are kept. "
            "Errors, 404 included, answer a FHIR OperationOutcome."
        ),
    )
    def post(self, request):
        clinic = self.target_clinic(request)
        if clinic is None:
            issue = fhir.issue(
                "You belong to several clinics: say which one with ?clinic=<slug>.", code="required"
            )
            return Response(fhir.operation_outcome([issue]), status=status.HTTP_400_BAD_REQUEST)
        if not request.user.can_write_clinical(clinic):
            audit.record(
                request,
                AuditEvent.Action.DENIED,
                clinic=clinic,
                object_type="patient",
                status_code=status.HTTP_403_FORBIDDEN,
                attempted="import",
            )
            raise PermissionDenied("Viewers may export records but not import them.")
        try:
            patient, created = import_patient(request.data, clinic)
        except InvalidResource as error:
            audit.record(
                request,
                AuditEvent.Action.IMPORT,
                getattr(error, "patient", None),
                clinic=clinic,
                object_type="patient",
                status_code=error.status_code,
                format="fhir-patient",
                outcome="conflict" if error.status_code == status.HTTP_409_CONFLICT else "rejected",
                issues=[issue["diagnostics"] for issue in error.issues],
            )
            return Response(fhir.operation_outcome(error.issues), status=error.status_code)
        status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        audit.record(
            request,
            AuditEvent.Action.IMPORT,
            patient,
            status_code=status_code,
            format="fhir-patient",
            outcome="created" if created else "found",
        )
        resource = fhir.Mapper(clinic=clinic, reference=fhir.relative_reference).patient(patient)
        headers = {"Location": request.build_absolute_uri(f"/fhir/Patient/{patient.pk}")}
        return Response(resource, status=status_code, headers=headers)
