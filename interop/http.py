"""
FHIR over HTTP: ``application/fhir+json`` in and out, and every error an
``OperationOutcome``.

* ``FHIRJSONParser`` reads ``application/fhir+json`` (and plain JSON), and refuses a
  body nested deeper than any FHIR resource needs with a 400 before Python's JSON
  decoder would run out of stack.
* ``FHIRExceptionHandler`` is the project's exception handler (domain errors,
  database outages as 503 with ``Retry-After``) with the body written as an
  OperationOutcome; ``FHIRView`` uses it.
* ``fhir_error_response`` builds the same answer outside DRF; ``FHIRErrorMiddleware``
  uses it so that nothing under ``/fhir/`` ever answers HTML, whatever fails
  (a middleware, the URL resolver, the database). It is named in the setting
  ``GLIDE_ERROR_FORMATS`` (path prefix -> function), where another part of the
  project that answers errors outside DRF finds the format for a path.
"""

import json
import re
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from clinic.api import AuditedRefusalMixin
from clinic.exceptions import GlideExceptionHandler

from .fhir import FHIR_JSON, issue, operation_outcome

# No FHIR resource Glide reads comes near this depth; Python's decoder fails near 1000.
MAX_JSON_DEPTH = 64

# The OperationOutcome issue type for each status (FHIR value set "issue-type").
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    410: "deleted",
    412: "conflict",
    413: "too-costly",
    415: "not-supported",
    429: "throttled",
    503: "transient",
}


def json_depth_exceeds(text, limit):
    """Whether brackets in ``text`` nest deeper than ``limit`` (outside strings)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class FHIRJSONParser(JSONParser):
    media_type = FHIR_JSON

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(settings.DEFAULT_CHARSET)
        except UnicodeDecodeError:
            raise ParseError("The body is not UTF-8 text.") from None
        if json_depth_exceeds(text, MAX_JSON_DEPTH):
            raise ParseError(f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as error:
            raise ParseError(f"JSON parse error - {error}") from None


class PlainJSONParser(FHIRJSONParser):
    media_type = "application/json"


class FHIRJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"


class FHIRContentNegotiation(BaseContentNegotiation):
    """Always FHIR JSON out; ``application/fhir+json`` or ``application/json`` in."""

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _messages(detail):
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


class OperationOutcomeFormatter(ExceptionFormatter):
    def run(self):
        code = ISSUE_CODES.get(
            self.exc.status_code, "exception" if self.exc.status_code >= 500 else "processing"
        )
        severity = "fatal" if self.exc.status_code >= 500 else "error"
        return operation_outcome(
            issue(message, code=code, severity=severity) for message in _messages(self.exc.detail)
        )


class FHIRExceptionHandler(GlideExceptionHandler):
    """The project's handler (domain errors, 503 when the database is down), with the
    body an OperationOutcome."""

    def format_exception(self, exc):
        return OperationOutcomeFormatter(exc, self.context, self.exc).run()


def fhir_exception_handler(exc, context):
    return FHIRExceptionHandler(exc, context).run()


class FHIRView(AuditedRefusalMixin, APIView):
    """A view that speaks FHIR JSON, errors included."""

    parser_classes = [FHIRJSONParser, PlainJSONParser]
    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation

    def get_exception_handler(self):
        return fhir_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.glide_error_format = True  # already an OperationOutcome when an error
        return response


def fhir_error_response(request, status_code, detail=None, expression=None):
    """An OperationOutcome answer built without DRF."""
    code = ISSUE_CODES.get(status_code, "exception" if status_code >= 500 else "processing")
    if detail is None:
        detail = {
            404: "There is nothing at this address.",
            503: "The database is unavailable. Try again shortly.",
        }.get(status_code, "The server could not answer this request." if status_code >= 500 else "Refused.")
    severity = "fatal" if status_code >= 500 else "error"
    body = operation_outcome([issue(detail, expression=expression, code=code, severity=severity)])
    response = HttpResponse(json.dumps(body), status=status_code, content_type=FHIR_JSON)
    response.glide_error_format = True
    if status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
    return response


def note_database_outage(sender, request=None, **kwargs):
    """``got_request_exception`` receiver: Django turns a failing middleware's
    exception into its 500 page before ``FHIRErrorMiddleware`` sees it, so the request
    keeps a note that the cause was the database."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OperationalError | InterfaceError):
        request.glide_database_unavailable = True


def fhir_error(request, status_code, code, detail, attr=None):
    """The FHIR format of ``GLIDE_ERROR_FORMATS`` (``clinic.errors``): errors answered
    outside a view (a refusal at the request boundary, an outage), under ``/fhir/``
    and the API's FHIR routes. A refused field of a posted resource is named by its
    FHIRPath (``identifier.0.value`` of a Patient: ``Patient.identifier[0].value``)."""
    expression = None
    resource_type = request.path.rstrip("/").rsplit("/", 1)[-1]
    if attr and attr != "non_field_errors" and request.method == "POST" and resource_type[:1].isupper():
        expression = resource_type + "".join(
            f"[{part}]" if part.isdigit() else f".{part}" for part in attr.split(".")
        )
    return fhir_error_response(request, status_code, detail, expression=expression)


# The FHIR server, and the API's FHIR Patient import.
FHIR_PATHS = re.compile(r"^/fhir/|^/api/v1/fhir/")


class FHIRErrorMiddleware:
    """Under ``/fhir/``, whatever fails answers an OperationOutcome: a database outage
    a 503 with ``Retry-After``, any other error its own status, never an HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def format_for(self, request):
        return fhir_error_response if FHIR_PATHS.match(request.path) else None

    def __call__(self, request):
        response = self.get_response(request)
        writer = self.format_for(request)
        if writer is None:
            return response
        if getattr(request, "glide_database_unavailable", False):
            return writer(request, status.HTTP_503_SERVICE_UNAVAILABLE)
        is_fhir = response.get("Content-Type", "").startswith(FHIR_JSON)
        if response.status_code >= 400 and not (is_fhir and getattr(response, "glide_error_format", False)):
            return writer(request, response.status_code)
        return response

    def process_exception(self, request, exception):
        writer = self.format_for(request)
        if writer is not None and isinstance(exception, OperationalError | InterfaceError):
            return writer(request, status.HTTP_503_SERVICE_UNAVAILABLE)
        return None
