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


def background_work_line():
    """What a starting server says about where its background work runs."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return (
            "Glide: background work (exports, batch printing) runs in the web process; "
            "set REDIS_URL to hand it to Celery workers."
        )
    return "Glide: background work goes to Celery workers through Redis (REDIS_URL)."
