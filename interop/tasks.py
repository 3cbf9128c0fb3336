"""
Celery tasks of the exports. Thin: the rules are on ``ExportJob`` and the writing in
``interop.jobs``.

``run_export_job`` is safe to deliver twice or to retry after its worker was
killed: it first claims the job in the database (only one worker can, and a job
whose worker went silent can be claimed again), and each attempt rewrites the
files from the start.
"""

import logging

from celery import shared_task
from django.db import transaction

from . import jobs
from .models import ExportJob

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export_job(job_id):
    job = ExportJob.objects.select_related("clinic", "requested_by").filter(pk=job_id).first()
    if job is None or not job.claim():
        return
    try:
        jobs.run(job)
    except jobs.NothingToDo as reason:
        job.fail(str(reason))
    except Exception as error:
        log.exception("Export job %s failed", job_id)
        job.fail(f"The export could not be written: {error.__class__.__name__}.")


def start(job):
    """Hand a saved job to the workers once its row is committed (in the web
    process itself when there is no broker)."""
    transaction.on_commit(lambda: run_export_job.delay(str(job.pk)))


@shared_task
def remove_expired_exports():
    """Delete the files of expired jobs, and the jobs (a finished one is no longer
    needed once its files are gone; an active one past its expiry is failed first)."""
    removed = 0
    for job in ExportJob.objects.expired():
        if job.is_active:
            job.fail("The export ran past its expiry.")
        job.remove_files()
        job.delete()
        removed += 1
    return removed


@shared_task
def requeue_stalled_exports():
    """Jobs whose worker went silent are handed out again (``claim`` fails them once
    they have been tried too often): no job stays "running" for ever."""
    stalled = list(ExportJob.objects.stalled().values_list("pk", flat=True))
    for job_id in stalled:
        run_export_job.delay(str(job_id))
    return len(stalled)
