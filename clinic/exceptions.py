"""
The API's exception handler: drf-standardized-errors' one, plus database outages.

Without this, a lost database connection surfaces as an unhandled exception and a
500, which tells a client the server failed on its request. It is a 503 with
``Retry-After`` instead: the client should try again later, and nothing was
written (multi-row writes are atomic, so an interrupted one leaves no rows).
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import APIException

from .api import GlideExceptionHandler as DomainErrorsHandler


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable. Try again shortly."
    default_code = "database_unavailable"

    @property
    def wait(self):
        """Read by the handler to send ``Retry-After``, as for a throttled request."""
        return settings.DATABASE_RETRY_AFTER_SECONDS


class GlideExceptionHandler(DomainErrorsHandler):
    """Glide's domain errors (``clinic.api``) plus database outages."""

    def convert_known_exceptions(self, exc):
        if isinstance(exc, OperationalError | InterfaceError):
            return DatabaseUnavailable()
        return super().convert_known_exceptions(exc)
