"""
Outcome measures over the API:

``GET /api/v1/instruments/`` and ``/instruments/<code>/``: the instruments, each
with its items in the caller's clinic's wording (``?clinic=<slug>`` for members of
several; else their first clinic), its score range, MCID, LOINC and licence.

``POST /api/v1/patients/<id>/measures/``: record a response (scored, signed);
``GET`` the same address: the patient's series per instrument (``?instrument=``).
Reads of a patient's measures and every write leave one audit event.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from clinic import audit
from clinic.api import AuditedRefusalMixin
from clinic.models import AuditEvent, Clinic, Patient

from . import progress, services
from .models import Instrument, InstrumentWording
from .serializers import InstrumentSerializer, MeasureResponseSerializer, MeasureSeriesSerializer

CLINIC_OF_THE_WORDING = OpenApiParameter(
    "clinic", str, description="For members of several clinics: whose wording to show (a clinic's slug)."
)


def callers_clinic(request):
    """The clinic whose wording the caller reads."""
    clinics = Clinic.objects.for_user(request.user)
    slug = request.query_params.get("clinic")
    if slug:
        clinic = clinics.filter(slug=slug).first()
        if clinic is None:
            raise ValidationError({"clinic": [f'You are not a member of a clinic "{slug}".']})
        return clinic
    return clinics.order_by("name").first()


@extend_validation_errors(["invalid"], field_name="clinic", methods=["get"])
@extend_schema(parameters=[CLINIC_OF_THE_WORDING])
class InstrumentViewSet(AuditedRefusalMixin, viewsets.ReadOnlyModelViewSet):
    """The outcome measures Glide scores. Licensed ones carry item texts only once
    the caller's clinic has loaded its wording (``wording_loaded``)."""

    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.all()
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9]+"
    pagination_class = None
    filter_backends = []

    def get_serializer_context(self):
        context = super().get_serializer_context()
        clinic = callers_clinic(self.request) if self.request.user.is_authenticated else None
        wordings = InstrumentWording.objects.filter(clinic=clinic) if clinic else []
        context["wordings"] = {wording.instrument_id: wording for wording in wordings}
        return context


@extend_validation_errors(["wording_not_loaded"], field_name="instrument", methods=["post"])
@extend_validation_errors(["future"], field_name="taken_at", methods=["post"])
@extend_validation_errors(["archived"], field_name="patient", methods=["post"])
@extend_validation_errors(["invalid", "already_replaced"], field_name="replaces", methods=["post"])
@extend_validation_errors(["required"], field_name="correction_reason", methods=["post"])
@extend_validation_errors(["unknown_item", "duplicate"], field_name="answers.INDEX.link_id", methods=["post"])
@extend_validation_errors(["out_of_range"], field_name="answers.INDEX.value", methods=["post"])
@extend_validation_errors(["required"], field_name="answers.INDEX.activity", methods=["post"])
@extend_validation_errors(["invalid"], field_name="instrument", methods=["get"])
class PatientMeasuresView(AuditedRefusalMixin, generics.GenericAPIView):
    """A patient's outcome measures."""

    serializer_class = MeasureResponseSerializer
    pagination_class = None
    filter_backends = []
    # The patient's clinic decides who may record: checked in ``post``, once the
    # patient is found (another clinic's patient is not found at all).
    permission_classes = [IsAuthenticated]

    def get_patient(self):
        return get_object_or_404(
            Patient.objects.for_user(self.request.user).select_related("clinic"), pk=self.kwargs["pk"]
        )

    @extend_schema(
        parameters=[OpenApiParameter("instrument", str, description='Only this instrument, e.g. "lefs".')],
        responses={200: MeasureSeriesSerializer},
    )
    def get(self, request, pk):
        """Per instrument, the responses oldest first (corrections in place of what
        they correct), each with its change from the first and whether it passes
        the MCID; and the change so far in words."""
        patient = self.get_patient()
        code = request.query_params.get("instrument") or None
        if code and not Instrument.objects.filter(code=code).exists():
            raise ValidationError({"instrument": [f'No instrument "{code}".']})
        series = progress.measure_series(patient, instrument_code=code)
        audit.record(request, AuditEvent.Action.VIEW, patient, part="measures", instrument=code or "")
        return Response(MeasureSeriesSerializer({"series": series}).data)

    @extend_schema(request=MeasureResponseSerializer, responses={201: MeasureResponseSerializer})
    def post(self, request, pk):
        """Record a response: checked, scored, signed. It never changes afterwards;
        correct it with a new response naming it in ``replaces``, with a reason."""
        patient = self.get_patient()
        if not request.user.can_write_clinical(patient.clinic_id):
            self.refuse(request, patient)
        serializer = self.get_serializer(
            data=request.data, context={**self.get_serializer_context(), "patient": patient}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        response = services.record_response(
            patient=patient,
            instrument=data["instrument"],
            taken_at=data["taken_at"],
            answers=[dict(answer) for answer in data["answers"]],
            recorded_by=request.user,
            assessment=data.get("assessment"),
            replaces=data.get("replaces"),
            correction_reason=data.get("correction_reason", ""),
        )
        audit.record(request, AuditEvent.Action.CREATE, response, instrument=response.instrument.code)
        return Response(self.get_serializer(response).data, status=status.HTTP_201_CREATED)
