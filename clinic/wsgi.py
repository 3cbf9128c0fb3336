"""WSGI entry point, for gunicorn and other WSGI servers."""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

application = get_wsgi_application()

from clinic.deployment import shared_state_line  # noqa: E402  (needs the settings loaded)

# One line at start-up (gunicorn's workers and runserver alike) saying where the
# throttle counts and caches live.
print(shared_state_line(), file=sys.stderr, flush=True)

# What is loaded by now lives as long as the process: Django, the apps, and (loading
# the URLconf here rather than on the first request) every view. Frozen, it is left
# out of garbage collection; otherwise each full collection walked these 130,000
# objects, pausing about one request in twelve by over 100 ms.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
