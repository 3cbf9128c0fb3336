"""
Glide's Celery application, laid out as in Celery's "First steps with Django": the
settings are Django's (every ``CELERY_*`` name in ``clinic.settings``) and each app's
``tasks.py`` is found by ``autodiscover_tasks()``.

Without ``REDIS_URL`` tasks run eagerly, inside the web process that asks for them,
so ``make run`` needs no broker and no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
