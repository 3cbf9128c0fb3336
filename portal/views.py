"""
The patient's link over the API.

The clinic's side: a plan's links (list, create, revoke) and what the patient logged
(adherence, sessions, alerts), scoped to the caller's clinics like every record.

The patient's side, for a patient app: ``Authorization: PatientLink <secret>`` with
the year of birth in ``X-Birth-Year``. No user, no session, no CSRF: the link and
the year are the credentials, checked and throttled by ``portal.access``. An unknown
or ended link is 404; a wrong year 403; too many wrong tries 429.
"""

from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import (
    ErrorResponse403Serializer,
    ErrorResponse404Serializer,
    ErrorResponse429Serializer,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from assessments.handouts import clean_static_path
from assessments.models import Plan
from clinic import audit
from clinic.api import AuditedRefusalMixin
from clinic.models import AuditEvent
from clinic.permissions import CanWriteClinical

from . import access, reports, services
from .models import PatientLink, SessionLog
from .serializers import (
    AdherenceSerializer,
    PatientLinkSerializer,
    PortalPlanSerializer,
    SessionLogSerializer,
    SessionSerializer,
    portal_plan_data,
)

Action = AuditEvent.Action

# --- The clinic's side -----------------------------------------------------------------


class PlanScopedMixin(AuditedRefusalMixin):
    """The plan named in the address, among the caller's clinics' (404 otherwise)."""

    permission_classes = [IsAuthenticated, CanWriteClinical]
    filter_backends = []
    pagination_class = None
    detail = True  # the plan in the address is the record the roles are checked on

    def get_plan(self):
        plan = get_object_or_404(
            Plan.objects.for_user(self.request.user).select_related("clinic", "patient"),
            pk=self.kwargs["plan_pk"],
        )
        self.check_object_permissions(self.request, plan)
        return plan


@extend_validation_errors(["invalid"], field_name="plan", methods=["post"])
class PlanLinksView(PlanScopedMixin, generics.GenericAPIView):
    """A plan's private links for the patient. Making one needs the patient's date
    of birth on record (the link asks for the year)."""

    serializer_class = PatientLinkSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return PatientLink.objects.for_user(self.request.user)

    def get(self, request, plan_pk):
        plan = self.get_plan()
        links = PatientLink.objects.filter(plan=plan).select_related("plan")
        audit.record(request, Action.VIEW, plan, part="links")
        return Response(self.get_serializer(links, many=True).data)

    @extend_schema(responses={201: PatientLinkSerializer})
    def post(self, request, plan_pk):
        plan = self.get_plan()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.issue_link(
            plan, by=request.user, expires_at=serializer.validated_data.get("expires_at")
        )
        audit.record(request, Action.CREATE, link, patient=plan.patient)
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)


class PlanLinkRevokeView(PlanScopedMixin, generics.GenericAPIView):
    """End a link at once: its page and the patient API refuse it from now on."""

    serializer_class = PatientLinkSerializer
    http_method_names = ["post", "options"]

    def get_queryset(self):
        return PatientLink.objects.for_user(self.request.user)

    @extend_schema(request=None, responses={200: PatientLinkSerializer})
    def post(self, request, plan_pk, pk):
        plan = self.get_plan()
        link = get_object_or_404(PatientLink.objects.filter(plan=plan), pk=pk)
        link.revoke(by=request.user)
        audit.record(request, Action.UPDATE, link, patient=plan.patient, change="revoked")
        return Response(self.get_serializer(link).data)


class PlanAdherenceView(PlanScopedMixin, generics.GenericAPIView):
    """What the patient logged through the plan's links: sessions per week against
    the plan's dose, each session, and the alerts raised."""

    serializer_class = AdherenceSerializer
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user)

    def get(self, request, plan_pk):
        plan = self.get_plan()
        report = reports.report_for(plan)
        audit.record(request, Action.VIEW, plan, part="adherence")
        return Response(self.get_serializer(report).data)


# --- The patient's side ----------------------------------------------------------------

PATIENT_LINK_PARAMETERS = [
    OpenApiParameter(
        "Authorization",
        str,
        OpenApiParameter.HEADER,
        required=True,
        description='"PatientLink <secret>": the secret at the end of the link\'s address.',
    ),
    OpenApiParameter(
        "X-Birth-Year",
        int,
        OpenApiParameter.HEADER,
        required=True,
        description="The patient's year of birth.",
    ),
]
PATIENT_LINK_REFUSALS = {
    403: OpenApiResponse(ErrorResponse403Serializer, description="The year of birth is wrong."),
    404: OpenApiResponse(ErrorResponse404Serializer, description="No such link, or it has ended."),
    429: OpenApiResponse(ErrorResponse429Serializer, description="Too many wrong tries; see Retry-After."),
}


class PatientLinkMixin(AuditedRefusalMixin):
    """Opens the link of the request's ``Authorization: PatientLink <secret>`` and
    checks ``X-Birth-Year``; refusals are audited by ``portal.access``."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    filter_backends = []
    pagination_class = None

    def get_link(self):
        scheme, _, secret = self.request.headers.get("Authorization", "").partition(" ")
        try:
            link = access.open_link(self.request, secret.strip() if scheme == "PatientLink" else "")
            access.check_birth_year(self.request, link, self.request.headers.get("X-Birth-Year", ""))
        except access.Refused as refusal:
            if refusal.reason == access.THROTTLED:
                raise exceptions.Throttled(wait=refusal.retry_after) from None
            if refusal.reason == access.WRONG_YEAR:
                raise exceptions.PermissionDenied("The year of birth does not match.") from None
            raise exceptions.NotFound() from None
        return link


class PortalPlanView(PatientLinkMixin, generics.GenericAPIView):
    """The patient's plan: first name, exercises with their movements and doses,
    and the sessions logged so far."""

    serializer_class = PortalPlanSerializer
    http_method_names = ["get", "options"]

    def get_queryset(self):
        return PatientLink.objects.none()

    @extend_schema(
        auth=[],
        parameters=PATIENT_LINK_PARAMETERS,
        responses={200: PortalPlanSerializer, **PATIENT_LINK_REFUSALS},
    )
    def get(self, request):
        link = self.get_link()
        plan_items = (
            link.plan.items.select_related("exercise")
            .prefetch_related("exercise__movements")
            .order_by("order")
        )
        logs = SessionLog.objects.filter(plan=link.plan).with_items()
        data = portal_plan_data(link, plan_items, logs, illustration_url(request))
        access.record_access(request, link, part="plan")
        return Response(self.get_serializer(data).data)


@extend_validation_errors(["invalid"], field_name="date", methods=["post"])
@extend_validation_errors(["invalid"], field_name="items.INDEX.exercise", methods=["post"])
class PortalSessionsView(PatientLinkMixin, generics.GenericAPIView):
    """Log a session: which exercises were done, pain during, how it felt an hour
    later. Not for a future day, nor one before the plan started."""

    serializer_class = SessionSerializer
    http_method_names = ["post", "options"]

    def get_queryset(self):
        return SessionLog.objects.none()

    @extend_schema(
        auth=[],
        parameters=PATIENT_LINK_PARAMETERS,
        responses={201: SessionLogSerializer, **PATIENT_LINK_REFUSALS},
    )
    def post(self, request):
        link = self.get_link()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.log_session(link, serializer.validated_data)
        access.record_access(request, link, Action.CREATE, log)
        log = SessionLog.objects.with_items().get(pk=log.pk)
        return Response(SessionLogSerializer(log).data, status=status.HTTP_201_CREATED)


class PortalSessionView(PatientLinkMixin, generics.GenericAPIView):
    """Change a session logged today, as on the patient's page: the whole session
    again. A session of an earlier day stays as it was (400)."""

    serializer_class = SessionSerializer
    http_method_names = ["put", "options"]

    def get_queryset(self):
        return SessionLog.objects.none()

    @extend_schema(
        auth=[],
        parameters=PATIENT_LINK_PARAMETERS,
        responses={200: SessionLogSerializer, **PATIENT_LINK_REFUSALS},
    )
    def put(self, request, pk):
        link = self.get_link()
        log = get_object_or_404(SessionLog.objects.filter(plan=link.plan).with_items(), pk=pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.log_session(link, serializer.validated_data, log=log)
        access.record_access(request, link, Action.UPDATE, log)
        log = SessionLog.objects.with_items().get(pk=log.pk)
        return Response(SessionLogSerializer(log).data)


def illustration_url(request):
    def url(path):
        path = clean_static_path(path)
        return request.build_absolute_uri(static(path)) if path else None

    return url
