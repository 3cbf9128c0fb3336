"""
Outcome measures in the patient's API, beside ``/api/v1/portal/plan/`` and with the
same credentials (``Authorization: PatientLink <secret>`` and ``X-Birth-Year``):

``GET /api/v1/portal/measures/``: what the therapist sent and still waits for, each
with its questions in the patient's language.
``POST /api/v1/portal/measures/<id>/``: the patient's answers to one of them; they
arrive scored and signed, as on the link's page. The score goes to the therapist,
not back to the patient.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, status
from rest_framework.response import Response

from clinic.models import AuditEvent
from portal import access
from portal.views import PATIENT_LINK_PARAMETERS, PATIENT_LINK_REFUSALS, PatientLinkMixin

from . import services
from .models import MeasureRequest, MeasureResponse
from .patient_pages import patient_title
from .serializers import (
    PatientAnswersReceivedSerializer,
    PatientAnswersSerializer,
    PatientQuestionsSerializer,
)

Action = AuditEvent.Action


def questions(measure_request, wording):
    """One request's questions, in the active language for Glide's own wording or
    in the clinic's ``wording`` of a licensed measure."""
    instrument = measure_request.instrument
    shows_instructions = instrument.instructions and not wording
    return {
        "id": measure_request.pk,
        "instrument": instrument.code,
        "title": patient_title(instrument, wording),
        "instructions": translation.gettext(instrument.instructions) if shows_instructions else "",
        "sent_at": measure_request.created_at,
        "items": [
            {
                "link_id": item["link_id"],
                "text": item["text"],
                "names_activity": bool(item.get("names_activity")),
                "options": [
                    {"value": option["value"], "label": option["label"]} for option in item["options"]
                ],
            }
            for item in instrument.patient_items(wording) or []
        ],
    }


class PortalMeasuresView(PatientLinkMixin, generics.GenericAPIView):
    """The measures the therapist sent that wait for the patient's answers."""

    serializer_class = PatientQuestionsSerializer
    http_method_names = ["get", "options"]

    def get_queryset(self):
        return MeasureRequest.objects.none()

    @extend_schema(
        auth=[],
        parameters=PATIENT_LINK_PARAMETERS,
        responses={200: PatientQuestionsSerializer(many=True), **PATIENT_LINK_REFUSALS},
    )
    def get(self, request):
        link = self.get_link()
        waiting = list(MeasureRequest.objects.for_link(link).pending().select_related("instrument"))
        wordings = services.wordings_for(
            [measure_request.instrument for measure_request in waiting], link.clinic
        )
        with translation.override(link.plan.patient.preferred_language or "en"):
            data = [
                questions(measure_request, wordings.get(measure_request.instrument_id))
                for measure_request in waiting
            ]
        access.record_access(request, link, part="measures")
        return Response(self.get_serializer(data, many=True).data)


@extend_validation_errors(["invalid"], field_name="request", methods=["post"])
class PortalMeasureAnswerView(PatientLinkMixin, generics.GenericAPIView):
    """The patient's answers to one measure the therapist sent: checked, scored and
    signed. Each measure is answered once."""

    serializer_class = PatientAnswersSerializer
    http_method_names = ["post", "options"]

    def get_queryset(self):
        return MeasureRequest.objects.none()

    @extend_schema(
        auth=[],
        parameters=PATIENT_LINK_PARAMETERS,
        responses={201: PatientAnswersReceivedSerializer, **PATIENT_LINK_REFUSALS},
    )
    def post(self, request, pk):
        link = self.get_link()
        measure_request = get_object_or_404(
            MeasureRequest.objects.for_link(link).select_related("instrument"), pk=pk
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.record_response(
            patient=link.plan.patient,
            instrument=measure_request.instrument,
            taken_at=timezone.now(),
            answers=[dict(answer) for answer in serializer.validated_data["answers"]],
            source=MeasureResponse.Source.PATIENT,
            measure_request=measure_request,
        )
        access.record_access(request, link, Action.CREATE, response, instrument=response.instrument.code)
        received = {"id": response.pk, "instrument": response.instrument.code, "taken_at": response.taken_at}
        return Response(PatientAnswersReceivedSerializer(received).data, status=status.HTTP_201_CREATED)
