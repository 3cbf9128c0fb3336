"""Values every page's template may use."""

from django.conf import settings


def session_limit(request):
    """How long a session lasts without a request, for the page to warn before it ends."""
    return {"session_seconds": settings.SESSION_COOKIE_AGE}
