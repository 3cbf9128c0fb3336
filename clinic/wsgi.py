"""WSGI entry point, for gunicorn and other WSGI servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, the URLconf and every view it imports)
# lives as long as the process. Frozen, it is left out of garbage collection: a
# full collection otherwise walked these hundreds of thousands of objects, which
# paused one request in a few dozen by a hundred milliseconds or more.
get_resolver().url_patterns  # noqa: B018 (imports the views now rather than on the first request)
gc.freeze()
