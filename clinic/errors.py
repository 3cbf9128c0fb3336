"""
Errors that Django answers before or around a view, each in its route's own format.

DRF's views answer their own errors in the one error shape (``clinic.api``). What
happens outside them (an unknown address, bad input refused at the boundary, a
database that is down while a session is loaded or saved, a server error) is
answered here. The format is chosen by the address, in one place:
``GLIDE_ERROR_FORMATS`` maps a path prefix to a function that builds the answer
(the API's error shape under ``/api/``; another app may add its own, e.g. FHIR's
OperationOutcome under ``/fhir/``), and every other address gets a page.

A format is ``render(request, status, code, detail, attr=None) -> HttpResponse``.
"""

import logging
import sys

from django.conf import settings
from django.core import signals
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from rest_framework.response import Response as DRFResponse

from .integrity import unique_violation

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)

PAGE_TITLES = {
    400: "We could not read that request",
    404: "Page not found",
    405: "Not allowed",
    413: "That was too much to send at once",
    500: "Something went wrong on our side",
    503: "Glide is unavailable for a moment",
}

MESSAGES = {
    "not_found": "Not found.",
    "server_error": "A server error occurred.",
    "database_unavailable": "The database is unavailable. Try again shortly.",
}


def api_error(request, status, code, detail, attr=None):
    """The API's one error shape."""
    if status >= 500:
        kind = "server_error"
    elif status == 400 and code != "parse_error":
        kind = "validation_error"
    else:
        kind = "client_error"
    body = {"type": kind, "errors": [{"code": code, "detail": detail, "attr": attr}]}
    return JsonResponse(body, status=status)


def error_page(request, status, code, detail, attr=None):
    """A styled page. Rendered without the request, so that it reads nothing from
    the database (which may be the thing that is down)."""
    html = render_to_string(
        "errors/error.html",
        {"status": status, "title": PAGE_TITLES.get(status, "Something went wrong"), "detail": detail},
    )
    return HttpResponse(html, status=status)


def format_for(path):
    """The format of the address ``path``: the longest matching prefix wins."""
    formats = getattr(settings, "GLIDE_ERROR_FORMATS", {})
    for prefix in sorted(formats, key=len, reverse=True):
        if path.startswith(prefix):
            return import_string(formats[prefix])
    return error_page


def answer(request, status, code, detail, attr=None):
    response = format_for(request.path)(request, status, code, detail, attr)
    if code == "database_unavailable":
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
    return response


def is_api_path(path):
    return format_for(path) is not error_page


# --- Django's error handlers (``handler404``, ``handler500`` in the root URLconf) ---


def page_not_found(request, exception=None):
    return answer(request, 404, "not_found", MESSAGES["not_found"])


def server_error(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return answer(request, 503, "database_unavailable", MESSAGES["database_unavailable"])
    if (fields := unique_violation(exc)) is not None:
        attr, message = next(iter(fields.items()))
        return answer(request, 400, "unique", message, attr)
    return answer(request, 500, "server_error", MESSAGES["server_error"])


# --- The middleware: database outages and Django's own 404s, in every mode ----------


def _remember_uncaught_exception(sender, request=None, **kwargs):
    """Django sends this signal while it handles an uncaught exception, wherever it
    was raised (a view, or a middleware saving the session)."""
    if request is not None:
        request.glide_uncaught_exception = sys.exc_info()[1]


signals.got_request_exception.connect(_remember_uncaught_exception, dispatch_uid="glide_uncaught_exception")


class ErrorFormatMiddleware:
    """Sits outside the session and authentication middleware, so that it sees what
    they raise too. An uncaught database error becomes a 503 with ``Retry-After``
    (even with ``DEBUG`` on: the server keeps answering until the database is back);
    a unique constraint's refusal (two requests creating the same record at once)
    a 400 naming the field (``clinic.integrity``); a 404 that Django answered
    itself, under an API prefix, is answered in the API's format (DRF's own 404s
    already are, and its browsable pages stay as they are)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only Django's own answer to an uncaught exception is replaced: a view that
        # answered for itself (DRF reports its 5xx through the same signal) stands.
        exc = getattr(request, "glide_uncaught_exception", None) if response.status_code == 500 else None
        if isinstance(exc, DATABASE_ERRORS):
            logger.warning("Database unavailable: %s", exc)
            return answer(request, 503, "database_unavailable", MESSAGES["database_unavailable"])
        if (fields := unique_violation(exc)) is not None:
            attr, message = next(iter(fields.items()))
            return answer(request, 400, "unique", message, attr)
        if (
            response.status_code == 404
            and not isinstance(response, DRFResponse)
            and is_api_path(request.path)
            and not response.get("Content-Type", "").startswith("application/")
        ):
            return page_not_found(request)
        return response
