"""
Outcome measures: the instruments (data shipped with Glide), a clinic's imported
wording of the licensed ones, the responses recorded for patients, which measures
a clinic wants when, and measures sent to a patient to fill in.

A response is signed when it is submitted and never changes afterwards
(``ProtectedRecordError`` on save, delete and bulk changes); a mistake is corrected
by a new response that ``replaces`` it, with the reason. The replaced one stays,
read as history.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from clinic.models import Clinic, Patient, ProtectedRecordError, TimeStampedModel, clinics_of

from . import scoring


class Instrument(TimeStampedModel):
    """An outcome measure, as data: items with their answer values, the scoring
    rule, the range and direction, the MCID with its source, LOINC and licence."""

    class Wording(models.TextChoices):
        GLIDE = "glide", "Shipped whole"
        CLINIC = "clinic", "Imported by each clinic"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=30)
    wording = models.CharField(max_length=10, choices=Wording.choices)
    instructions = models.TextField(blank=True)
    items = models.JSONField(help_text="[{link_id, text, options: [{value, label}]}]")
    scoring = models.JSONField(help_text="The scoring rule of outcomes.scoring and its parameters.")
    score_min = models.DecimalField(max_digits=6, decimal_places=1)
    score_max = models.DecimalField(max_digits=6, decimal_places=1)
    higher_is_better = models.BooleanField()
    has_percent = models.BooleanField(default=False)
    mcid = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    mcid_applies_to = models.CharField(max_length=20, blank=True)
    mcid_unit = models.CharField(max_length=60, blank=True)
    mcid_source = models.TextField(blank=True)
    activity_mcid = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    loinc = models.CharField(max_length=20, blank=True)
    licence = models.TextField()
    source = models.TextField(help_text="Where the scoring rule is published.")

    class Meta:
        ordering = ["short_name"]

    def __str__(self):
        return f"{self.short_name} · {self.name}"

    @property
    def wording_from_clinic(self):
        return self.wording == self.Wording.CLINIC

    @property
    def names_activities(self):
        return any(item.get("names_activity") for item in self.items)

    @property
    def score_range(self):
        return {"min": self.score_min, "max": self.score_max, "higher_is_better": self.higher_is_better}

    @property
    def charted_field(self):
        """The value the MCID applies to, and so the one the chart follows."""
        return self.mcid_applies_to or "score"

    @property
    def charted_range(self):
        if self.charted_field == "score_percent":
            return Decimal(0), Decimal(100)
        return self.score_min, self.score_max

    def worded_items(self, wording=None):
        """The items with their texts and option labels: Glide's own, or the
        clinic's imported ``wording`` (``None`` when it is needed but missing)."""
        if not self.wording_from_clinic:
            return self.items
        if wording is None:
            return None
        texts = wording.items
        return [
            {
                **item,
                "text": texts[item["link_id"]]["text"],
                "options": [
                    {
                        "value": option["value"],
                        "label": texts[item["link_id"]]["options"][str(option["value"])],
                    }
                    for option in item["options"]
                ],
            }
            for item in self.items
        ]

    def patient_items(self, wording=None):
        """The items as a patient reads them, on the page and in the API alike:
        Glide's own wording in the active language, or the clinic's licensed
        ``wording`` as it was imported (``None`` when it is needed but missing)."""
        items = self.worded_items(wording)
        if items is None or self.wording_from_clinic:
            return items
        return [
            {
                **item,
                "text": gettext(item["text"]),
                "options": [{**option, "label": gettext(option["label"])} for option in item["options"]],
            }
            for item in items
        ]

    def score_answers(self, values):
        scored = scoring.score(self.scoring, self.items, values)
        return scored, scoring.interpret(self.scoring, self.score_range, scored)


class InstrumentWording(TimeStampedModel):
    """A clinic's licensed wording of an instrument, imported from a FHIR
    Questionnaire. It belongs to that clinic: no other clinic sees it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="instrument_wordings")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="wordings")
    title = models.CharField(max_length=200, blank=True)
    questionnaire_url = models.CharField(max_length=400, blank=True)
    questionnaire_version = models.CharField(max_length=60, blank=True)
    items = models.JSONField(help_text="{link_id: {text, options: {value: label}}}")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "instrument"], name="wording_one_per_clinic_instrument")
        ]

    def __str__(self):
        return f"{self.instrument.short_name} wording of {self.clinic}"


class MeasureResponseQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def current(self):
        """Responses not replaced by a correction."""
        return self.filter(replaced_by__isnull=True)

    def update(self, **kwargs):
        raise ProtectedRecordError("A submitted response never changes; record a correction instead.")

    def delete(self):
        raise ProtectedRecordError("A submitted response is never deleted; record a correction instead.")


class MeasureResponse(TimeStampedModel):
    """One completed outcome measure, signed on submission."""

    class Source(models.TextChoices):
        CLINICIAN = "clinician", "Recorded by the clinician"
        PATIENT = "patient", "Filled in by the patient"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="measure_responses")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="measure_responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measure_responses",
        help_text="The visit it was recorded at, if any.",
    )
    taken_at = models.DateTimeField()
    answers = models.JSONField(help_text='[{"link_id", "value", "activity"?}]')
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    score_percent = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    interpretation = models.CharField(max_length=300)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CLINICIAN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    correction_reason = models.CharField(max_length=300, blank=True)

    objects = MeasureResponseQuerySet.as_manager()

    class Meta:
        ordering = ["taken_at", "created_at"]
        indexes = [models.Index(fields=["patient", "instrument", "taken_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(correction_reason=""),
                name="measureresponse_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["clinician", "patient"]), name="measureresponse_source_valid"
            ),
        ]

    def __str__(self):
        return f"{self.instrument.short_name} of {self.patient} on {self.taken_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ProtectedRecordError("A submitted response never changes; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtectedRecordError("A submitted response is never deleted; record a correction instead.")

    @property
    def charted_value(self):
        return getattr(self, self.instrument.charted_field)

    def activities(self):
        """A PSFS's rated activities: ``[(name, value)]``."""
        return [(answer["activity"], answer["value"]) for answer in self.answers if answer.get("activity")]


class MeasureSchedule(TimeStampedModel):
    """When a clinic wants an instrument taken: at the first visit, every N
    weeks, at discharge (the patient's plan completed)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="measure_schedules")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="schedules")
    at_first_visit = models.BooleanField(default=True)
    every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    at_discharge = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument"], name="schedule_one_per_clinic_instrument"
            ),
            models.CheckConstraint(
                condition=Q(every_weeks__isnull=True) | Q(every_weeks__gte=1, every_weeks__lte=52),
                name="schedule_every_weeks_range",
            ),
        ]

    def __str__(self):
        return f"{self.instrument.short_name} schedule of {self.clinic}"

    def due_reason(self, latest_taken_at, *, discharged_at=None, now=None):
        """Why the instrument is due for a patient whose latest response was taken
        at ``latest_taken_at`` (None: never), or "" when it is not."""
        now = now or timezone.now()
        if latest_taken_at is None:
            if self.at_first_visit:
                return "first visit"
            if self.every_weeks:
                return f"every {self.every_weeks} weeks"
        elif self.every_weeks and now - latest_taken_at >= datetime.timedelta(weeks=self.every_weeks):
            return f"every {self.every_weeks} weeks"
        if (
            self.at_discharge
            and discharged_at
            and (latest_taken_at is None or latest_taken_at < discharged_at)
        ):
            return "discharge"
        return ""


class MeasureRequestQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def for_link(self, link):
        """The requests the patient of ``link`` may answer on the link's page."""
        return self.filter(clinic_id=link.clinic_id, patient_id=link.plan.patient_id)

    def pending(self):
        return self.filter(status=MeasureRequest.Status.PENDING)


class MeasureRequest(TimeStampedModel):
    """The therapist asks the patient to fill a measure in on their private link's
    page; it is pending until the patient's response arrives."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the patient"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="measure_requests")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="measure_requests")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    response = models.OneToOneField(
        MeasureResponse, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = MeasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "instrument"],
                condition=Q(status="pending"),
                name="request_one_pending_per_patient_instrument",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "answered", "withdrawn"]), name="request_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.instrument.short_name} for {self.patient} ({self.status})"
