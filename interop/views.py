"""
The FHIR endpoints of the API: a patient's record as a Bundle, and a Patient
resource imported into a clinic. The mapping itself is in ``interop.fhir``.

Both answer ``application/fhir+json`` whatever JSON the client accepts. The import
answers its errors as FHIR clients expect them, an ``OperationOutcome``, rather
than in the project's error shape.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from clinic import audit
from clinic.api import AuditedRefusalMixin
from clinic.models import AuditEvent, Clinic, Patient

from . import fhir


class FHIRJSONRenderer(JSONRenderer):
    media_type = fhir.FHIR_JSON
    format = "fhir"


class FHIRJSONParser(JSONParser):
    media_type = fhir.FHIR_JSON


class FHIRContentNegotiation(BaseContentNegotiation):
    """Always FHIR JSON out; ``application/fhir+json`` or ``application/json`` in."""

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    415: "not-supported",
    429: "throttled",
}


def _messages(detail):
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def operation_outcome_exception_handler(exc, context):
    """DRF's handling of errors (status, authentication headers), with the body an
    OperationOutcome."""
    response = exception_handler(exc, context)
    if response is not None:
        code = ISSUE_CODES.get(response.status_code, "processing")
        response.data = fhir.operation_outcome(
            fhir.issue(message, code=code) for message in _messages(response.data)
        )
    return response


class PatientBundleView(AuditedRefusalMixin, APIView):
    """``GET /api/v1/patients/{id}/fhir/``: the patient's whole neurodynamic record
    as a FHIR R4 Bundle of type ``collection``. Any member of the patient's clinic,
    viewers included, may export it."""

    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation

    @extend_schema(
        operation_id="patients_fhir_bundle",
        responses={200: OpenApiTypes.OBJECT},
        description="The patient's record as a FHIR R4 Bundle (type collection), application/fhir+json.",
    )
    def get(self, request, pk):
        patient = get_object_or_404(fhir.with_records(Patient.objects.for_user(request.user)), pk=pk)
        bundle = fhir.patient_bundle(patient, site_url=request.build_absolute_uri("/").rstrip("/"))
        audit.record(
            request,
            AuditEvent.Action.EXPORT,
            patient,
            status_code=status.HTTP_200_OK,
            format="fhir-bundle",
            entries=len(bundle["entry"]),
        )
        return Response(bundle)


class PatientImportView(AuditedRefusalMixin, APIView):
    """``POST /api/v1/fhir/Patient``: create the Glide patient a FHIR Patient
    describes (201), or find the one with the same chart number (200).

    The clinic is the caller's; a caller who belongs to several clinics says which
    with ``?clinic=<slug>``. Therapists and admins may import, viewers may not.
    """

    parser_classes = [FHIRJSONParser, JSONParser]
    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation

    def get_exception_handler(self):
        return operation_outcome_exception_handler

    def target_clinic(self, request):
        clinics = Clinic.objects.for_user(request.user)
        slug = request.query_params.get("clinic")
        if slug:
            clinic = clinics.filter(slug=slug).first()
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
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "clinic", str, description="The clinic's slug; required when you belong to several clinics."
            )
        ],
        description=(
            "Create a patient from a FHIR R4 Patient resource, or find the one with the same chart number. "
            "Errors answer a FHIR OperationOutcome."
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
            patient, created = fhir.import_patient(request.data, clinic)
        except fhir.InvalidResource as error:
            audit.record(
                request,
                AuditEvent.Action.IMPORT,
                clinic=clinic,
                object_type="patient",
                status_code=status.HTTP_400_BAD_REQUEST,
                format="fhir-patient",
                outcome="rejected",
                issues=[issue["diagnostics"] for issue in error.issues],
            )
            return Response(fhir.operation_outcome(error.issues), status=status.HTTP_400_BAD_REQUEST)
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
        headers = {"Location": request.build_absolute_uri(f"/api/v1/patients/{patient.pk}/")}
        return Response(resource, status=status_code, headers=headers)
