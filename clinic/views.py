"""The people side of the API: the sign-in token, the caller's clinics, patients."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from . import audit
from .api import (
    AuditCSVRenderer,
    AuditedReadMixin,
    AuditedRefusalMixin,
    ErrorResponse412Serializer,
    NewRecordClinicMixin,
    VersionPreconditionMixin,
    json_errors_for_csv,
)
from .authentication import issue_token
from .models import AuditEvent, Clinic, Membership, Patient
from .permissions import CanWriteClinical, IsClinicAdmin
from .serializers import (
    AuditEventSerializer,
    AuthTokenRequestSerializer,
    AuthTokenSerializer,
    ClinicSerializer,
    PatientSerializer,
)
from .sync import changes_action
from .throttling import ScopedRateThrottle

CLINIC_PARAMETER = OpenApiParameter(
    "clinic",
    str,
    description="For members of several clinics: the slug of the clinic the new record belongs to.",
)


@extend_validation_errors(["authorization"], field_name="non_field_errors", methods=["post"])
class AuthTokenView(AuditedRefusalMixin, APIView):
    """Exchange a username and password for an API token; DELETE revokes it."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(request=AuthTokenRequestSerializer, responses={200: AuthTokenSerializer}, auth=[])
    def post(self, request):
        serializer = AuthTokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, how = issue_token(user)
        audit.record(request, AuditEvent.Action.LOGIN, actor=user, via="api-token", token=how)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        audit.record(request, AuditEvent.Action.LOGOUT, via="api-token")
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    update=extend_schema(responses={200: ClinicSerializer, 412: ErrorResponse412Serializer}),
    partial_update=extend_schema(responses={200: ClinicSerializer, 412: ErrorResponse412Serializer}),
)
class ClinicViewSet(
    AuditedRefusalMixin,
    VersionPreconditionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The clinics the caller belongs to, with the caller's role. Admins may change
    their clinic's details."""

    serializer_class = ClinicSerializer
    permission_classes = [IsAuthenticated, IsClinicAdmin]
    http_method_names = ["get", "put", "patch", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clinic.objects.none()
        role = Membership.objects.filter(user=self.request.user, clinic=OuterRef("pk")).values("role")[:1]
        return Clinic.objects.for_user(self.request.user).annotate(role=Subquery(role)).order_by("name")

    def perform_update(self, serializer):
        clinic = serializer.save()
        audit.record(self.request, AuditEvent.Action.UPDATE, clinic, fields=sorted(serializer.validated_data))


class PatientFilter(django_filters.FilterSet):
    archived = django_filters.BooleanFilter(
        field_name="archived_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="Only archived (true) or active.",
    )
    include_archived = django_filters.BooleanFilter(
        method="filter_include_archived", help_text="List archived patients along with active ones."
    )

    class Meta:
        model = Patient
        fields = ["chart_number", "sex", "archived", "include_archived"]

    def filter_include_archived(self, queryset, name, value):
        return queryset


@extend_validation_errors(
    ["unique"], field_name="chart_number", actions=["create", "update", "partial_update"]
)
@extend_validation_errors(
    ["invalid"], field_name="date_of_birth", actions=["create", "update", "partial_update"]
)
@extend_validation_errors(["invalid"], field_name="clinic", actions=["create"])
@extend_schema_view(
    list=extend_schema(
        description="Patients of the caller's clinics. Archived patients are hidden unless "
        "`archived=true` or `include_archived=true`."
    ),
    create=extend_schema(parameters=[CLINIC_PARAMETER]),
    update=extend_schema(responses={200: PatientSerializer, 412: ErrorResponse412Serializer}),
    partial_update=extend_schema(responses={200: PatientSerializer, 412: ErrorResponse412Serializer}),
    destroy=extend_schema(
        description="Archives the patient (records are never deleted).",
        responses={204: OpenApiResponse(description="Archived.")},
    ),
)
@changes_action
class PatientViewSet(
    AuditedRefusalMixin,
    NewRecordClinicMixin,
    VersionPreconditionMixin,
    AuditedReadMixin,
    viewsets.ModelViewSet,
):
    """Patients of the caller's clinics. DELETE archives: a patient's record is never
    deleted."""

    serializer_class = PatientSerializer
    permission_classes = [IsAuthenticated, CanWriteClinical]
    new_record_permission = CanWriteClinical
    filterset_class = PatientFilter
    search_fields = ["given_name", "family_name", "chart_number"]
    ordering_fields = [
        "family_name",
        "given_name",
        "chart_number",
        "date_of_birth",
        "created_at",
        "updated_at",
    ]
    ordering = ["family_name", "given_name", "chart_number"]

    def get_queryset(self):
        patients = Patient.objects.for_user(self.request.user).select_related("clinic")
        if self.action == "list" and not self._archived_requested():
            patients = patients.active()
        return patients

    def _archived_requested(self):
        params = self.request.query_params
        return any(params.get(name, "").lower() in ("true", "1") for name in ("archived", "include_archived"))

    def perform_create(self, serializer):
        patient = serializer.save(clinic=serializer.context["clinic"])
        audit.record(self.request, AuditEvent.Action.CREATE, patient)

    def perform_update(self, serializer):
        patient = serializer.save()
        audit.record(
            self.request, AuditEvent.Action.UPDATE, patient, fields=sorted(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        instance.archive()
        audit.record(self.request, AuditEvent.Action.ARCHIVE, instance)

    @extend_schema(
        responses={200: AuditEventSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
        description="The patient's audit history, newest first: who read or changed their "
        "record, when and from where. For admins of the patient's clinic; as CSV with "
        "`.csv` or `?format=csv`.",
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=AuditEventSerializer,
        filter_backends=[],
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, AuditCSVRenderer],
    )
    def audit(self, request, pk=None, format=None):
        patient = self.get_object()
        if not request.user.is_clinic_admin(patient.clinic_id):
            self.refuse(request, patient, "Only an admin of the patient's clinic may read its audit history.")
        events = AuditEvent.objects.for_user(request.user).for_patient(patient)
        if isinstance(request.accepted_renderer, AuditCSVRenderer):
            audit.record(request, AuditEvent.Action.EXPORT, patient, part="audit", format="csv")
            response = StreamingHttpResponse(audit.iter_csv(events), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="audit-{patient.pk}.csv"'
            return response
        audit.record(request, AuditEvent.Action.VIEW, patient, part="audit")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def finalize_response(self, request, response, *args, **kwargs):
        json_errors_for_csv(request, response)
        return super().finalize_response(request, response, *args, **kwargs)
