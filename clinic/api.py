"""
What every Glide API view shares: the extra error statuses, the exception handler
that turns domain errors (and bodies over Django's upload limit) into the one error
shape, optimistic locking over HTTP (``ETag`` / ``If-Match``), and audited reads.

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
from .models import AuditEvent, ProtectedRecordError


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
        return super().convert_known_exceptions(exc)


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


class PageNumberPagination(pagination.PageNumberPagination):
    """Numbered pages of 25; a client may ask for up to 100 at once with
    ``page_size``."""

    page_size_query_param = "page_size"
    max_page_size = 100


class AuditedReadMixin:
    """Reads of patient data leave one audit event per request: ``view`` for a
    record, ``list`` (with the ids shown) for a page of them."""

    def paginate_queryset(self, queryset):
        self.listed = super().paginate_queryset(queryset)
        return self.listed

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        listed = getattr(self, "listed", None) or []
        one_clinic = len({obj.clinic_id for obj in listed}) == 1
        audit.record(
            request,
            AuditEvent.Action.LIST,
            clinic=listed[0].clinic if one_clinic else None,
            object_type=self.get_queryset().model._meta.model_name,
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
