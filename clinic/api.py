"""
What every Glide API view shares: the extra error statuses, the exception handler
that turns domain errors (and bodies over Django's upload limit) into the one error
shape, optimistic locking over HTTP (``ETag`` / ``If-Match``), audited reads and
audited refusals.

The clinical app's views build on these; nothing here imports ``assessments``.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from drf_standardized_errors.handler import ExceptionHandler
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import exceptions, pagination, renderers, serializers, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response

from . import audit
from .integrity import unique_violation
from .models import AuditEvent, Clinic, ProtectedRecordError
from .permissions import clinic_for_new_record


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record cannot be changed in its current state."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it: fetch it again and retry."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = 'Send the record\'s ETag in an "If-Match" header to change it.'
    default_code = "precondition_required"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class GlideExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, taught Glide's domain errors so that every
    path (serializer, service, model) answers in the same shape.

    ``assessments.services`` raise Django ``ValidationError`` with dotted keys
    (``results.0.findings.1.step``); those keys become the ``attr`` of each error.
    """

    def convert_known_exceptions(self, exc):
        # StaleVersionError lives in assessments.services; it is recognised by name so
        # that the clinic app does not import the clinical one.
        if type(exc).__name__ == "StaleVersionError":
            return PreconditionFailed()
        if isinstance(exc, ProtectedRecordError):
            return Conflict(detail=str(exc))
        if isinstance(exc, ProtectedError):
            return Conflict(detail="Recorded data still refers to this entry.")
        if isinstance(exc, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return RequestTooLarge(f"The request body is larger than {limit} bytes.")
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(detail=get_error_detail(exc))
        if (fields := unique_violation(exc)) is not None:
            # Two requests passed the uniqueness check at once; the database refused
            # the second.
            return exceptions.ValidationError(
                {name: [exceptions.ErrorDetail(message, code="unique")] for name, message in fields.items()}
            )
        return super().convert_known_exceptions(exc)


def api_datetime(value, zone):
    """``value`` as DRF's ``DateTimeField`` writes it: ISO 8601 in ``zone`` (the
    current time zone, looked up once by the caller), UTC written as ``Z``."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def etag_for(version):
    return f'"{version}"'


class VersionPreconditionMixin:
    """Optimistic locking for records with a ``version``.

    Responses to retrieve, create and update carry ``ETag: "<version>"``. A PUT,
    PATCH or DELETE with an ``If-Match`` that names another version answers 412;
    with ``if_match_required``, a PUT or PATCH without ``If-Match`` answers 428.
    The checked version is kept in ``checked_version`` so that the write itself can
    check it again under a row lock.
    """

    if_match_required = False
    etag_actions = ("retrieve", "create", "update", "partial_update")
    checked_version = None

    def check_changeable(self, instance):
        """Refuse a change the record's state forbids (e.g. a signed note): 409."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        self.check_changeable(instance)
        self.checked_version = self.expected_version(instance)
        return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.check_changeable(instance)
        self.checked_version = self.expected_version(instance, required=False)
        return super().destroy(request, *args, **kwargs)

    def expected_version(self, instance, *, required=None):
        header = self.request.headers.get("If-Match")
        if required is None:
            required = self.if_match_required
        if not header:
            if required:
                raise PreconditionRequired()
            return None
        candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
        if "*" in candidates:
            return None
        if etag_for(instance.version) not in candidates:
            raise PreconditionFailed()
        return instance.version

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in self.etag_actions
            and response.status_code in (status.HTTP_200_OK, status.HTTP_201_CREATED)
            and isinstance(data, dict)
            and "version" in data
        ):
            response["ETag"] = etag_for(data["version"])
        return response


# --- Error bodies for the statuses drf-standardized-errors does not describe -------


def _error_response_serializer(status_code, code):
    error = type(
        f"Error{status_code}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.ChoiceField(choices=[(code, code)]),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        f"ErrorResponse{status_code}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ClientErrorEnum.choices),
            "errors": error(many=True),
        },
    )


ErrorResponse409Serializer = _error_response_serializer(409, Conflict.default_code)
ErrorResponse412Serializer = _error_response_serializer(412, PreconditionFailed.default_code)
ErrorResponse413Serializer = _error_response_serializer(413, RequestTooLarge.default_code)
ErrorResponse428Serializer = _error_response_serializer(428, PreconditionRequired.default_code)


def _server_error_response_serializer(status_code, code):
    serializer = _error_response_serializer(status_code, code)
    serializer._declared_fields["type"] = serializers.ChoiceField(choices=[("server_error", "server_error")])
    return serializer


# The database is unavailable (clinic.exceptions, clinic.errors): with Retry-After.
ErrorResponse503Serializer = _server_error_response_serializer(503, "database_unavailable")


class AuditedRefusalMixin:
    """Every refusal by a permission check (403) leaves one ``denied`` event; every
    Glide API view starts with this mixin.

    DRF sends the refusals of its permission classes, for the request
    (``has_permission``) and for the record looked up (``has_object_permission``),
    through ``permission_denied``; a view or serializer that refuses for a reason of
    its own calls it too (``refuse`` when the record is not the one looked up). The
    event names that record, or, for a refused creation, the record type and the
    caller's clinic. It is written when the refusal is answered
    (``handle_exception``), not each time a permission is tried: the browsable API
    and ``OPTIONS`` try other methods to choose the forms they offer. No
    transaction wraps the request (``ATOMIC_REQUESTS`` is off), so the event
    survives the refusal.

    A caller who is not signed in is answered 401 by the same method and leaves no
    event (there is nobody to name; failed sign-ins are recorded on their own).
    Another clinic's record is not found (404) before any check and leaves none
    either. The FHIR import, which has no record to name, records its own refusal
    with the clinic it resolved."""

    checked_object = None

    def check_object_permissions(self, request, obj):
        self.checked_object = obj
        super().check_object_permissions(request, obj)

    def refuse(self, request, obj, message=None):
        """Refuse a change that concerns ``obj`` beyond the record looked up (the
        patient a new assessment names), recorded as the permission classes' are."""
        self.checked_object = obj
        self.permission_denied(request, message=message)

    def permission_denied(self, request, message=None, code=None):
        try:
            super().permission_denied(request, message=message, code=code)
        except exceptions.PermissionDenied as refusal:
            refusal.refused_object = self.checked_object
            raise

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.PermissionDenied) and hasattr(exc, "refused_object"):
            self.record_refusal(self.request, exc.refused_object)
        return super().handle_exception(exc)

    def record_refusal(self, request, target):
        where = {} if target is not None else self._refused_creation(request)
        audit.record(
            request,
            AuditEvent.Action.DENIED,
            target,
            status_code=status.HTTP_403_FORBIDDEN,
            route=getattr(request.resolver_match, "view_name", "") or "",
            attempted=getattr(self, "action", None) or request.method.lower(),
            **where,
        )

    def _refused_creation(self, request):
        """The record type a refused request without a record was about, and the
        clinic it was meant for: the caller's own clinic named by ``?clinic=<slug>``,
        else their only one (a member of several who names none: no clinic)."""
        clinics = Clinic.objects.for_user(request.user)
        slug = request.query_params.get("clinic")
        candidates = list(clinics.filter(slug=slug) if slug else clinics[:2])
        return {
            "clinic": candidates[0] if len(candidates) == 1 else None,
            "object_type": getattr(self, "basename", None) or "",
        }


class NewRecordClinicMixin:
    """A creation's clinic (``clinic_for_new_record``, by the roles of
    ``new_record_permission``), found once before the handler runs and given to the
    serializer as ``context["clinic"]``. A refusal answers in the error shape, and the
    browsable API can still build its forms around it."""

    new_record_permission = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "create":
            self.new_record_clinic = clinic_for_new_record(request, self.new_record_permission)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        clinic = getattr(self, "new_record_clinic", None)
        if clinic is not None:
            context["clinic"] = clinic
        return context


class PageNumberPagination(pagination.PageNumberPagination):
    """Numbered pages of 25; a client may ask for up to 100 at once with
    ``page_size``."""

    page_size_query_param = "page_size"
    max_page_size = 100


class AuditedReadMixin:
    """Reads of patient data leave one audit event per request: ``view`` for a
    record, ``list`` (with the ids shown) for a page of them."""

    def paginate_queryset(self, queryset):
        self.listed_model = queryset.model
        self.listed = super().paginate_queryset(queryset)
        return self.listed

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        listed = getattr(self, "listed", None) or []
        clinic_ids = {obj.clinic_id for obj in listed}
        audit.record(
            request,
            AuditEvent.Action.LIST,
            clinic_id=clinic_ids.pop() if len(clinic_ids) == 1 else None,
            object_type=self.listed_model._meta.model_name,
            ids=[str(obj.pk) for obj in listed],
            query=request.query_params.urlencode()[:300],
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit.record(request, AuditEvent.Action.VIEW, instance)
        return Response(self.get_serializer(instance).data)


class AuditCSVRenderer(renderers.BaseRenderer):
    """Lets content negotiation pick CSV (``.csv`` or ``?format=csv``) for an audit
    history. The view streams the rows itself with ``clinic.audit.iter_csv``, and
    errors are answered in JSON (``json_errors_for_csv``), so nothing reaches
    ``render`` but a stray body, which it writes as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


class JSONErrorsMixin:
    """Errors answer in the JSON error shape, whatever format the client asked the
    view for (a schema in YAML, a PDF)."""

    def handle_exception(self, exc):
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and not isinstance(renderer, renderers.JSONRenderer):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)


def json_errors_for_csv(request, response):
    """An error asked for as CSV still answers in the one JSON error shape."""
    if getattr(response, "exception", False) and isinstance(
        getattr(request, "accepted_renderer", None), AuditCSVRenderer
    ):
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = request.accepted_renderer.media_type


def document_list_indexes_in_error_attrs(result, generator, request, public):
    """A spectacular post-processing hook. drf-standardized-errors names nested
    errors' ``attr`` with a placeholder (``results.INDEX.test``); responses carry
    the real index (``results.0.test``), so the placeholder becomes a pattern."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        attr = component.get("properties", {}).get("attr") if name.endswith("ErrorComponent") else None
        values = (attr or {}).get("enum") or []
        if not any("INDEX" in value for value in values if isinstance(value, str)):
            continue
        alternatives = "|".join(re.escape(value).replace("INDEX", r"\d+") for value in values)
        component["properties"]["attr"] = {
            "type": "string",
            "pattern": f"^({alternatives})$",
            "description": attr.get("description", "").replace("INDEX", "<index>"),
        }
    return result
