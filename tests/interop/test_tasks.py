"""The scheduled work of the exports, and a job's life on a worker: claimed once,
taken up again when its worker went silent, failed after too many tries, its files
removed when it expires."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from interop import tasks
from interop.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exports_in_a_scratch_folder(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "exports": {**settings.STORAGES["exports"]}}
    settings.STORAGES["exports"]["OPTIONS"] = {"location": tmp_path / "exports"}


@pytest.fixture
def job(clinic, clinic_admin):
    return ExportJob.objects.create(clinic=clinic, requested_by=clinic_admin, kind=ExportJob.Kind.FHIR_CLINIC)


def went_silent(job, minutes=10):
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_a_queued_job_is_claimed_once(job):
    assert job.claim() is True
    assert ExportJob.objects.get(pk=job.pk).claim() is False
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)


def test_a_job_whose_worker_went_silent_is_claimed_again(job):
    job.claim()
    went_silent(job)

    assert job.claim() is True
    assert job.attempts == 2


def test_a_job_tried_too_often_is_marked_failed_with_a_clear_message(job, settings):
    settings.GLIDE_JOB_MAX_ATTEMPTS = 2
    for _ in range(2):
        job.claim()
        went_silent(job)

    assert job.claim() is False
    assert job.state == "failed"
    assert "stopped before it finished, 2 times" in job.error


def test_the_sweep_hands_stalled_jobs_to_a_worker_which_finishes_them(job, clinic_admin):
    job.claim()
    went_silent(job)

    assert tasks.requeue_stalled_exports.delay().get() == 1

    job.refresh_from_db()
    assert job.state == "completed"


def test_a_job_that_fails_is_marked_failed_and_keeps_no_files(job, monkeypatch):
    def broken(job):
        job.storage().save(job.file_name("Patient.ndjson"), ContentFile(b"{}\n"))
        raise OSError("disk full")

    monkeypatch.setattr("interop.jobs.run", broken)

    tasks.run_export_job.delay(str(job.pk))

    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "The export could not be written: OSError.")
    assert not job.storage().exists(str(job.pk))


def test_expired_jobs_are_removed_with_their_files(job, clinic, clinic_admin):
    job.storage().save(job.file_name("Patient.ndjson"), ContentFile(b"{}\n"))
    ExportJob.objects.filter(pk=job.pk).update(
        state="completed", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    fresh = ExportJob.objects.create(clinic=clinic, requested_by=clinic_admin, kind="handouts")

    assert tasks.remove_expired_exports.delay().get() == 1

    assert list(ExportJob.objects.all()) == [fresh]
    assert not job.storage().exists(str(job.pk))


def test_a_job_runs_on_the_exports_queue_and_the_sweeps_on_the_default_one(settings):
    from clinic.celery import app

    assert app.amqp.router.route({}, "interop.tasks.run_export_job")["queue"].name == "exports"
    assert app.amqp.router.route({}, "interop.tasks.remove_expired_exports")["queue"].name == "default"
