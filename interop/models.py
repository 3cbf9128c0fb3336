"""
Export jobs: long work (a FHIR bulk export, the research CSV, a day's handouts in one
PDF) that a Celery worker does while the person who asked for it polls.

A job's state lives here, in the database, so that any web server answers its
status and any worker can take it up. The rules that keep a job from getting stuck
are on the model: a worker *claims* a job before working on it (only one worker can,
and a job whose worker went silent can be claimed again), *reports* progress as it
goes (which is also how it learns the job was cancelled), and ends it *completed* or
*failed*. Output files are kept in the ``exports`` storage under the job's id and
removed when the job expires.
"""

import datetime
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clinic.models import Clinic, Patient, TimeStampedModel, clinics_of


class ExportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jobs of the user's clinics."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def active(self):
        return self.filter(state__in=ExportJob.ACTIVE_STATES)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def stalled(self, now=None):
        """Running jobs whose worker has not reported for ``GLIDE_JOB_STALE_SECONDS``."""
        cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.GLIDE_JOB_STALE_SECONDS)
        return self.filter(state=ExportJob.State.RUNNING, heartbeat_at__lt=cutoff)


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        FHIR_PATIENTS = "fhir-patients", "FHIR export of all patients"
        FHIR_CLINIC = "fhir-clinic", "FHIR export of the whole clinic"
        RESEARCH_CSV = "research-csv", "Research CSV"
        HANDOUTS = "handouts", "Handouts in one PDF"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)
    FHIR_KINDS = (Kind.FHIR_PATIENTS, Kind.FHIR_CLINIC)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="export_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What was asked: the request URL, _since, _type, the day or plans to print.
    parameters = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # One entry per file: {"type": "Patient", "name": "Patient.ndjson", "count": 12}.
    output = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The moment the data was read (the FHIR manifest's transactionTime).
    transaction_time = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["clinic", "-created_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]
        constraints = [
            # One FHIR bulk export at a time per clinic, whichever server takes the
            # request: the second answers 429.
            models.UniqueConstraint(
                fields=["clinic"],
                condition=Q(state__in=["queued", "running"], kind__in=["fhir-patients", "fhir-clinic"]),
                name="one_active_fhir_export_per_clinic",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.clinic_id} ({self.state})"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + datetime.timedelta(hours=settings.GLIDE_EXPORT_TTL_HOURS)
        super().save(*args, **kwargs)

    @property
    def progress(self):
        """Per cent done, 0 to 100."""
        if self.state == self.State.COMPLETED:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def is_active(self):
        return self.state in self.ACTIVE_STATES

    # --- The worker's side -----------------------------------------------------------

    def claim(self):
        """Take the job for this worker: a queued job, or a running one whose worker
        went silent (killed halfway). True when this worker now holds it. A job that
        has been tried ``GLIDE_JOB_MAX_ATTEMPTS`` times is marked failed instead."""
        now = timezone.now()
        claimable = ExportJob.objects.filter(pk=self.pk).filter(
            Q(state=self.State.QUEUED) | Q(pk__in=ExportJob.objects.stalled(now).values("pk"))
        )
        if claimable.filter(attempts__gte=settings.GLIDE_JOB_MAX_ATTEMPTS).exists():
            self.fail(
                f"The export stopped before it finished, {settings.GLIDE_JOB_MAX_ATTEMPTS} times; "
                "it will not be tried again. Start a new one."
            )
            return False
        claimed = claimable.update(
            state=self.State.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            done=0,
            output=[],
            error="",
        )
        self.refresh_from_db()
        return claimed == 1

    def report(self, done, total=None):
        """Record progress; False when the job is no longer this worker's to run
        (cancelled, or failed by the sweeper), so the worker stops."""
        self.done = done
        changes = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            self.total = changes["total"] = total
        return ExportJob.objects.filter(pk=self.pk, state=self.State.RUNNING).update(**changes) == 1

    def complete(self, output, transaction_time=None):
        now = timezone.now()
        changes = {
            "state": self.State.COMPLETED,
            "output": output,
            "done": self.total,
            "finished_at": now,
            "transaction_time": transaction_time or self.transaction_time,
            "expires_at": now + datetime.timedelta(hours=settings.GLIDE_EXPORT_TTL_HOURS),
        }
        if ExportJob.objects.filter(pk=self.pk, state=self.State.RUNNING).update(**changes) != 1:
            self.remove_files()  # cancelled at the last moment
            return False
        for name, value in changes.items():
            setattr(self, name, value)
        return True

    def fail(self, error):
        updated = ExportJob.objects.filter(pk=self.pk, state__in=self.ACTIVE_STATES).update(
            state=self.State.FAILED, error=error, finished_at=timezone.now()
        )
        self.remove_files()
        self.refresh_from_db()
        return updated == 1

    def cancel(self):
        """Stop the job (a worker running it stops at its next report) and remove
        what it wrote; a finished job is withdrawn and its files removed."""
        ExportJob.objects.filter(pk=self.pk).exclude(state=self.State.CANCELLED).update(
            state=self.State.CANCELLED, finished_at=timezone.now()
        )
        self.remove_files()
        self.refresh_from_db()

    # --- Files -------------------------------------------------------------------------

    @staticmethod
    def storage():
        return storages["exports"]

    def file_name(self, name):
        return f"{self.pk}/{name}"

    def output_file(self, name):
        """The output entry called ``name``, or None."""
        return next((entry for entry in self.output if entry["name"] == name), None)

    def remove_files(self):
        storage = self.storage()
        directory = str(self.pk)
        if not storage.exists(directory):
            return
        _, names = storage.listdir(directory)
        for name in names:
            storage.delete(self.file_name(name))
        storage.delete(directory)


class PatientIdentifierQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(patient__in=Patient.objects.for_user(user))


class PatientIdentifier(TimeStampedModel):
    """An identifier another system gave a patient, kept as the sender wrote it (the
    FHIR ``Identifier.system`` and ``value``), so that the sender finds the patient
    again by its own identifier and every export names it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="external_identifiers")
    system = models.CharField(max_length=255, help_text="The sender's namespace, a URI.")
    value = models.CharField(max_length=255)

    objects = PatientIdentifierQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "system", "value"], name="patientidentifier_unique"),
        ]
        indexes = [models.Index(fields=["clinic", "system", "value"], name="patientidentifier_lookup")]

    def __str__(self):
        return f"{self.system}|{self.value}"
