"""
The clinical API: the test catalogue, the exercise library, assessments written
whole with their results and findings, signing and addenda, plans with their
handouts, and a patient's progress over visits.

Every queryset is the caller's (``for_user``): another clinic's record is not
found. Writes go through ``assessments.services``; reads of patient data and all
writes leave one audit event each.
"""

from django.conf import settings
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from clinic import audit
from clinic.api import (
    AuditedReadMixin,
    AuditedRefusalMixin,
    Conflict,
    ErrorResponse409Serializer,
    ErrorResponse412Serializer,
    ErrorResponse413Serializer,
    ErrorResponse428Serializer,
    NewRecordClinicMixin,
    VersionPreconditionMixin,
)
from clinic.models import AuditEvent, Clinic, Patient
from clinic.permissions import CanWriteClinical, IsClinicAdmin
from clinic.sync import changes_action
from clinic.views import CLINIC_PARAMETER

from . import handouts, progress, services
from .filters import AssessmentFilter, ExerciseFilter, NeuroTestFilter, PlanFilter
from .models import Addendum, Assessment, Exercise, NeuroTest, Plan
from .serializers import (
    AddendumSerializer,
    AssessmentSerializer,
    ExerciseSerializer,
    NeuroTestSerializer,
    PlanSerializer,
    ProgressSerializer,
)

CHANGE_RESPONSES = {412: ErrorResponse412Serializer, 428: ErrorResponse428Serializer}
WRITES = ["create", "update", "partial_update"]
# A nested list's own errors are reported at its name, not at "<name>.non_field_errors".
LIST_CODES = ["required", "null", "not_a_list", "empty"]
# Records written whole with their nested lists take JSON only: a form cannot nest.
NESTED_BODY_PARSERS = [JSONParser]


def domain_validation_errors(codes_by_field, actions=WRITES):
    """Document the codes that rules beyond a field's type report (in the
    serializers' ``validate`` methods and ``assessments.services``)."""

    def decorate(view):
        for field_name, codes in codes_by_field.items():
            view = extend_validation_errors(codes, field_name=field_name, actions=actions)(view)
        return view

    return decorate


# --- Catalogue ---------------------------------------------------------------------


class CatalogueViewSet(
    AuditedRefusalMixin, NewRecordClinicMixin, VersionPreconditionMixin, viewsets.ModelViewSet
):
    """The standard catalogue plus the caller's clinics' own entries. Clinic admins
    add and change their clinic's entries; the standard ones are read-only.
    Entries are retired with ``is_active: false``, never deleted."""

    permission_classes = [IsAuthenticated, IsClinicAdmin]
    new_record_permission = IsClinicAdmin
    parser_classes = NESTED_BODY_PARSERS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_object(self):
        lookup = self.kwargs[self.lookup_field]
        entry = (
            self.get_queryset()
            .filter(**{self.lookup_field: lookup})
            .order_by(F("clinic").asc(nulls_first=True))
            .first()
        )
        if entry is None:
            raise Http404
        self.check_object_permissions(self.request, entry)
        return entry

    def perform_create(self, serializer):
        audit.record(self.request, AuditEvent.Action.CREATE, serializer.save())

    def perform_update(self, serializer):
        entry = serializer.save()
        audit.record(self.request, AuditEvent.Action.UPDATE, entry, fields=sorted(serializer.validated_data))


@domain_validation_errors(
    {
        "code": ["unique", "immutable"],
        "steps": [*LIST_CODES, "unique"],
        "steps.INDEX": ["null"],
        "clinic": ["invalid"],
    }
)
@extend_schema_view(
    create=extend_schema(parameters=[CLINIC_PARAMETER]),
    update=extend_schema(responses={200: NeuroTestSerializer, 409: ErrorResponse409Serializer}),
    partial_update=extend_schema(responses={200: NeuroTestSerializer, 409: ErrorResponse409Serializer}),
)
class NeuroTestViewSet(CatalogueViewSet):
    """The neurodynamic test catalogue, each test with its ordered steps. Looked up
    by code (``/tests/SLR/``)."""

    serializer_class = NeuroTestSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = NeuroTestFilter
    search_fields = ["code", "name", "nerve_bias"]
    ordering_fields = ["code", "name", "region"]
    ordering = ["code"]

    def get_queryset(self):
        return (
            NeuroTest.objects.for_user(self.request.user).select_related("clinic").prefetch_related("steps")
        )


@domain_validation_errors(
    {
        "slug": ["unique", "immutable"],
        "movements": [*LIST_CODES, "unique"],
        "movements.non_field_errors": ["max_length"],
        "movements.INDEX": ["null"],
        "clinic": ["invalid"],
        "translations": ["invalid"],
        "movements.INDEX.translations": ["invalid"],
    }
)
@extend_schema_view(create=extend_schema(parameters=[CLINIC_PARAMETER]))
class ExerciseViewSet(CatalogueViewSet):
    """The exercise library, each exercise with its movements. Looked up by slug."""

    serializer_class = ExerciseSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = ExerciseFilter
    search_fields = ["slug", "name", "nerve", "purpose"]
    ordering_fields = ["name", "slug", "nerve", "region"]
    ordering = ["name", "slug"]

    def get_queryset(self):
        return (
            Exercise.objects.for_user(self.request.user)
            .select_related("clinic")
            .prefetch_related("movements")
        )


# --- Assessments ---------------------------------------------------------------------


@domain_validation_errors(
    {
        "patient": ["invalid", "immutable", "archived"],
        "results": [*LIST_CODES, "invalid"],
        "results.INDEX": ["null"],
        "results.INDEX.findings": LIST_CODES,
        "results.INDEX.findings.INDEX": ["null"],
        "results.INDEX.side": ["invalid"],
        "results.INDEX.range_at_max_deg": ["invalid"],
        "results.INDEX.override_reason": ["invalid"],
        "results.INDEX.findings.INDEX.step": ["does_not_exist", "invalid"],
        "results.INDEX.findings.INDEX.symptom_kinds": ["invalid"],
    }
)
@domain_validation_errors({"text": ["invalid"], "assessment": ["invalid"]}, actions=["addenda"])
@extend_schema_view(
    create=extend_schema(responses={201: AssessmentSerializer, 413: ErrorResponse413Serializer}),
    update=extend_schema(
        responses={
            200: AssessmentSerializer,
            409: ErrorResponse409Serializer,
            413: ErrorResponse413Serializer,
            **CHANGE_RESPONSES,
        }
    ),
    partial_update=extend_schema(
        responses={
            200: AssessmentSerializer,
            409: ErrorResponse409Serializer,
            413: ErrorResponse413Serializer,
            **CHANGE_RESPONSES,
        }
    ),
    destroy=extend_schema(
        description="Discards a draft. Signed assessments are never deleted (409).",
        responses={204: None, 409: ErrorResponse409Serializer, 412: ErrorResponse412Serializer},
    ),
)
@changes_action
class AssessmentViewSet(
    AuditedRefusalMixin, VersionPreconditionMixin, AuditedReadMixin, viewsets.ModelViewSet
):
    """Assessments with their results and step findings, written whole in one
    request. A draft changes with ``If-Match: "<version>"``; a signed assessment
    never changes (409): add an addendum instead."""

    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated, CanWriteClinical]
    parser_classes = NESTED_BODY_PARSERS
    filterset_class = AssessmentFilter
    search_fields = ["complaint", "patient__family_name", "patient__chart_number"]
    ordering_fields = ["performed_at", "created_at", "updated_at"]
    ordering = ["-performed_at", "-created_at"]
    if_match_required = True
    etag_actions = (*VersionPreconditionMixin.etag_actions, "sign")

    def get_queryset(self):
        # A page is read as rows of the columns it shows (``listed``), and its results,
        # findings and addenda as rows by the serializer (``shown_results``,
        # ``shown_addenda``).
        assessments = Assessment.objects.for_user(self.request.user)
        if self.action in ("list", "changes"):
            return assessments.listed()
        return assessments.select_related("clinic", "patient", "therapist", "signed_by").prefetch_related(
            Prefetch("addenda", queryset=Addendum.objects.select_related("author"))
        )

    def get_serializer_class(self):
        if self.action == "addenda":
            return AddendumSerializer
        return super().get_serializer_class()

    def check_changeable(self, assessment):
        if assessment.is_signed:
            raise Conflict("A signed assessment cannot be changed; add an addendum.")

    def _reloaded(self, assessment):
        return self.get_queryset().get(pk=assessment.pk)

    def perform_create(self, serializer):
        assessment = serializer.save()
        audit.record(self.request, AuditEvent.Action.CREATE, assessment)
        serializer.instance = self._reloaded(assessment)

    def perform_update(self, serializer):
        assessment = serializer.save(expected_version=self.checked_version)
        audit.record(
            self.request, AuditEvent.Action.UPDATE, assessment, fields=sorted(serializer.validated_data)
        )
        serializer.instance = self._reloaded(assessment)

    def perform_destroy(self, assessment):
        services.discard_draft(assessment)
        audit.record(self.request, AuditEvent.Action.DELETE, assessment)

    @extend_schema(
        request=None,
        responses={
            200: AssessmentSerializer,
            409: ErrorResponse409Serializer,
            412: ErrorResponse412Serializer,
        },
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None, format=None):
        """Sign the draft: from now on it never changes. Only the therapist who
        recorded it, or an admin of the clinic, may sign."""
        assessment = self.get_object()
        user = request.user
        if assessment.therapist_id != user.pk and not user.is_clinic_admin(assessment.clinic_id):
            self.permission_denied(
                request, message="Only the therapist who recorded it, or an admin, may sign."
            )
        self.check_changeable(assessment)
        self.expected_version(assessment, required=False)
        signed = services.sign_assessment(assessment, signed_by=user)
        audit.record(request, AuditEvent.Action.SIGN, signed)
        return Response(self.get_serializer(self._reloaded(signed)).data)

    @extend_schema(methods=["GET"], responses={200: AddendumSerializer(many=True)})
    @extend_schema(methods=["POST"], request=AddendumSerializer, responses={201: AddendumSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def addenda(self, request, pk=None, format=None):
        """The addenda of a signed assessment, oldest first; POST adds one."""
        assessment = self.get_object()
        if request.method in SAFE_METHODS:
            audit.record(request, AuditEvent.Action.VIEW, assessment, part="addenda")
            return Response(self.get_serializer(assessment.addenda.all(), many=True).data)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.add_addendum(
            assessment, author=request.user, text=serializer.validated_data["text"]
        )
        audit.record(request, AuditEvent.Action.ADDENDUM, assessment, addendum=str(addendum.pk))
        return Response(self.get_serializer(addendum).data, status=status.HTTP_201_CREATED)


# --- Plans ---------------------------------------------------------------------------


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@domain_validation_errors(
    {
        "patient": ["invalid", "immutable", "archived"],
        "assessment": ["invalid"],
        "review_date": ["invalid"],
        "items": [*LIST_CODES, "invalid"],
        "items.non_field_errors": ["max_length"],
        "items.INDEX": ["null"],
        "items.INDEX.exercise": ["invalid"],
        "items.INDEX.days_per_week": ["invalid"],
        "items.INDEX.weekdays": ["duplicate"],
    }
)
@extend_schema_view(
    update=extend_schema(responses={200: PlanSerializer, **CHANGE_RESPONSES}),
    partial_update=extend_schema(responses={200: PlanSerializer, **CHANGE_RESPONSES}),
)
@changes_action
class PlanViewSet(AuditedRefusalMixin, VersionPreconditionMixin, AuditedReadMixin, viewsets.ModelViewSet):
    """Mobilization plans with their exercises, written whole in one request. A plan
    changes with ``If-Match: "<version>"``; it is stopped or completed through its
    ``status``, never deleted."""

    serializer_class = PlanSerializer
    permission_classes = [IsAuthenticated, CanWriteClinical]
    parser_classes = NESTED_BODY_PARSERS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = PlanFilter
    search_fields = ["goals", "patient__family_name", "patient__chart_number"]
    ordering_fields = ["start_date", "review_date", "created_at", "updated_at"]
    ordering = ["-start_date", "-created_at"]
    if_match_required = True

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).with_items()

    def _reloaded(self, plan):
        return self.get_queryset().get(pk=plan.pk)

    def perform_create(self, serializer):
        plan = serializer.save()
        audit.record(self.request, AuditEvent.Action.CREATE, plan)
        serializer.instance = self._reloaded(plan)

    def perform_update(self, serializer):
        plan = serializer.save(expected_version=self.checked_version)
        audit.record(self.request, AuditEvent.Action.UPDATE, plan, fields=sorted(serializer.validated_data))
        serializer.instance = self._reloaded(plan)


@extend_validation_errors(["invalid"], field_name="paper", methods=["get"])
@extend_validation_errors(["invalid"], field_name="lang", methods=["get"])
@extend_validation_errors(["too_large"], field_name="items", methods=["get"])
class PlanHandoutView(AuditedRefusalMixin, generics.GenericAPIView):
    """The patient's home-exercise handout of a plan, as a PDF. Each print is
    recorded (a ``HandoutPrint`` and an audit event with the PDF's SHA-256)."""

    renderer_classes = [PDFRenderer, JSONRenderer]
    filter_backends = []
    pagination_class = None
    # No HEAD: it would render the PDF and record a print that nobody received.
    http_method_names = ["get", "options"]

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).select_related("clinic", "patient", "therapist")

    def handle_exception(self, exc):
        # Errors are JSON, even when the client asked for the PDF.
        if isinstance(getattr(self.request, "accepted_renderer", None), PDFRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="plans_handout",
        parameters=[
            OpenApiParameter(
                "paper",
                str,
                enum=Clinic.PaperSize.values,
                description="Paper size; the clinic's default when left out.",
            ),
            OpenApiParameter(
                "lang",
                str,
                enum=[code for code, _ in settings.LANGUAGES],
                description=(
                    "The language to print in, for this print only; the patient's preferred "
                    "language when left out (English when Glide does not speak it)."
                ),
            ),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The handout.")
        },
    )
    def get(self, request, pk):
        plan = self.get_object()
        paper = request.query_params.get("paper")
        if paper not in (None, *Clinic.PaperSize.values):
            raise ValidationError({"paper": [f"Choose one of: {', '.join(Clinic.PaperSize.values)}."]})
        language = request.query_params.get("lang")
        languages = [code for code, _ in settings.LANGUAGES]
        if language not in (None, *languages):
            raise ValidationError({"lang": [f"Choose one of: {', '.join(languages)}."]})
        handout = handouts.render_plan_handout(
            plan, user=request.user, request=request, paper=paper, language=language
        )
        response = HttpResponse(handout.pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{handout.filename}"'
        return response


# --- Progress ------------------------------------------------------------------------


class PatientProgressView(AuditedRefusalMixin, generics.GenericAPIView):
    """Per test and side, over visits: P1, P2, the interpretation (an override
    wins) and the worst symptom intensity."""

    serializer_class = ProgressSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[OpenApiParameter("test", str, description='Only this test code, e.g. "SLR".')],
        responses={200: ProgressSerializer},
    )
    def get(self, request, pk):
        # The patient's id and clinic are all the series and the audit event need.
        patient = Patient.objects.find_for_user(request.user, pk)
        if patient is None:
            raise Http404
        test_code = request.query_params.get("test") or None
        series = progress.progress_series(patient, test_code=test_code)
        audit.record(request, AuditEvent.Action.VIEW, patient, part="progress", test=test_code or "")
        return Response(self.get_serializer({"series": series}).data)
