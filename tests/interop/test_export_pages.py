"""Batch printing and the research CSV in the web app: started from the exports page,
run as jobs (eagerly here), their progress shown, their file downloaded."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import HandoutPrint, Plan
from clinic.models import AuditEvent
from interop import jobs
from interop.forms import BatchPrintForm
from interop.models import ExportJob
from interop.tasks import run_export_job

from ..factories import AssessmentFactory, PatientFactory, PlanFactory, PlanItemFactory, TestResultFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _exports_in_a_scratch_folder(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "exports": {**settings.STORAGES["exports"]}}
    settings.STORAGES["exports"]["OPTIONS"] = {"location": tmp_path / "exports"}


def seen_on(day, clinic, therapist, family_name):
    patient = PatientFactory(clinic=clinic, family_name=family_name)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
    TestResultFactory(assessment=AssessmentFactory(patient=patient, therapist=therapist, performed_at=at))
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    return plan


@pytest.fixture
def days_plans(clinic, therapist):
    return [seen_on(TODAY, clinic, therapist, name) for name in ("Austen", "Brontë")]


@pytest.fixture
def signed_in(client, therapist):
    client.force_login(therapist)
    return client


def start(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/exports/", data)


def download(client, job):
    response = client.get(f"/exports/{job.pk}/download")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_days_handouts_print_as_one_pdf_each_handout_a_print_in_the_audit_trail(
    signed_in, days_plans, clinic, therapist, django_capture_on_commit_callbacks
):
    seen_on(TODAY + datetime.timedelta(days=1), clinic, therapist, "Carroll")  # another day

    response = start(signed_in, django_capture_on_commit_callbacks, kind="handouts", day=TODAY.isoformat())

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exports/{job.pk}/"
    assert (job.state, job.output[0]["count"]) == ("completed", 2)
    prints = HandoutPrint.objects.order_by("created_at")
    assert [printed.plan for printed in prints] == days_plans
    assert AuditEvent.objects.filter(action="print", object_type="plan").count() == 2
    pdf = PdfReader(io.BytesIO(download(signed_in, job)))
    assert len(pdf.pages) == sum(printed.page_count for printed in prints)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Austen" in text and "Brontë" in text and "Carroll" not in text


def test_chosen_plans_print_whatever_day_their_patients_were_seen(
    signed_in, days_plans, django_capture_on_commit_callbacks
):
    start(signed_in, django_capture_on_commit_callbacks, kind="handouts", plans=[str(days_plans[1].pk)])

    assert [printed.plan for printed in HandoutPrint.objects.all()] == [days_plans[1]]


def test_a_batch_print_without_a_day_or_plans_is_refused_and_starts_nothing(signed_in):
    response = signed_in.post("/exports/", {"kind": "handouts", "day": ""})

    assert response.status_code == 400
    assert b"Choose a day or at least one plan." in response.content
    assert not ExportJob.objects.exists()


def test_a_day_with_nothing_to_print_is_refused_and_starts_nothing(signed_in):
    response = signed_in.post("/exports/", {"kind": "handouts", "day": "2026-01-05"})

    assert response.status_code == 400
    assert b"No patient with an active plan was assessed on this day." in response.content
    assert not ExportJob.objects.exists()


def test_a_day_whose_plans_all_stopped_before_the_job_ran_fails_with_the_reason_and_prints_nothing(
    signed_in, days_plans, clinic, therapist
):
    job = ExportJob.objects.create(
        clinic=clinic, requested_by=therapist, kind="handouts", parameters={"day": TODAY.isoformat()}
    )
    Plan.objects.filter(pk__in=[plan.pk for plan in days_plans]).update(status=Plan.Status.STOPPED)

    run_export_job(str(job.pk))

    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert "no handout to print" in job.error
    assert job.output in ([], None)
    assert not HandoutPrint.objects.exists()
    assert "no handout to print" in signed_in.get(f"/exports/{job.pk}/").content.decode()


def test_the_page_offers_the_plans_changed_lately_and_any_active_plan_may_be_chosen(
    signed_in, days_plans, django_capture_on_commit_callbacks
):
    old = days_plans[0]
    Plan.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=90))

    page = signed_in.get("/exports/").content.decode()
    start(signed_in, django_capture_on_commit_callbacks, kind="handouts", plans=[str(old.pk)])

    assert str(days_plans[1].pk) in page and str(old.pk) not in page
    assert [printed.plan for printed in HandoutPrint.objects.all()] == [old]


def test_more_plans_than_a_batch_holds_are_refused_and_start_nothing(signed_in, clinic, therapist):
    plans = PlanFactory.create_batch(BatchPrintForm.MAX_PLANS + 1, patient=PatientFactory(clinic=clinic))

    response = signed_in.post("/exports/", {"kind": "handouts", "plans": [str(plan.pk) for plan in plans]})

    assert response.status_code == 400
    assert b"Choose at most 100 plans at once." in response.content
    assert not ExportJob.objects.exists()


def test_a_batch_that_died_before_its_file_was_kept_leaves_no_print_and_its_retry_one_each(
    days_plans, clinic, therapist, monkeypatch
):
    job = ExportJob.objects.create(
        clinic=clinic, requested_by=therapist, kind="handouts", parameters={"day": TODAY.isoformat()}
    )
    job.claim()

    def dies_while_saving(*args, **kwargs):
        raise OSError("the worker's machine went away")

    with monkeypatch.context() as crash:
        crash.setattr(ExportJob.storage(), "save", dies_while_saving)
        with pytest.raises(OSError):
            jobs.run(job)
    assert not HandoutPrint.objects.exists()
    assert not AuditEvent.objects.filter(action="print").exists()

    assert jobs.run(job)

    printed_plans = sorted(printed.plan_id for printed in HandoutPrint.objects.all())
    assert printed_plans == sorted(plan.pk for plan in days_plans)
    assert AuditEvent.objects.filter(action="print").count() == len(days_plans)


def test_a_viewer_may_not_print_a_batch(client, viewer):
    client.force_login(viewer)

    response = client.post("/exports/", {"kind": "handouts", "day": TODAY.isoformat()})

    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_while_a_job_runs_its_page_shows_its_progress_and_refreshes(signed_in, clinic, therapist):
    job = ExportJob.objects.create(clinic=clinic, requested_by=therapist, kind="handouts", state="running")
    job.report(3, 12)

    page = signed_in.get(f"/exports/{job.pk}/").content.decode()

    assert '<progress max="100" value="25"' in page
    assert "(3 of 12)" in page
    assert '<meta http-equiv="refresh"' in page


def test_the_research_csv_runs_as_a_job_and_deidentifies(
    client, clinic_admin, days_plans, django_capture_on_commit_callbacks
):
    client.force_login(clinic_admin)

    start(client, django_capture_on_commit_callbacks, kind="research-csv", deidentify="on")

    job = ExportJob.objects.get()
    rows = list(csv.DictReader(io.StringIO(download(client, job).decode())))
    assert len(rows) == job.output[0]["count"] > 0
    assert "family_name" not in rows[0]
    assert all(row["patient_id"].startswith("P-") for row in rows)


def test_a_therapist_does_not_see_or_start_research_exports(signed_in, clinic, clinic_admin):
    job = ExportJob.objects.create(clinic=clinic, requested_by=clinic_admin, kind="research-csv")

    assert signed_in.post("/exports/", {"kind": "research-csv"}).status_code == 403
    assert signed_in.get(f"/exports/{job.pk}/").status_code == 404
    assert ExportJob.objects.count() == 1


def test_another_clinics_job_is_not_found(client, outsider, clinic, therapist):
    job = ExportJob.objects.create(clinic=clinic, requested_by=therapist, kind="handouts", state="completed")
    client.force_login(outsider)

    assert client.get(f"/exports/{job.pk}/").status_code == 404
    assert client.get(f"/exports/{job.pk}/download").status_code == 404
