"""
The clinical side of Glide: the neurodynamic test catalogue, assessments with their
per-step findings, the exercise library, and mobilization plans.

Rules that must hold whatever code path writes (the API, the web pages, the admin,
a management command) live here and in the database, not in forms or serializers:

* a signed assessment, its results and its findings never change; corrections are
  addenda (``ProtectedRecordError`` on save or delete, and ``QuerySet.update`` and
  ``QuerySet.delete`` refuse too);
* a finding's step belongs to its result's test (model check plus a database
  trigger);
* ranges, intensities and doses stay within their clinical bounds (check
  constraints).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.models import PERSON_SHOWN, Clinic, Patient, ProtectedRecordError, TimeStampedModel, clinics_of

from . import interpretation, schedule
from .schedule import validate_weekdays
from .translations import validate_exercise_translations, validate_movement_translations


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class CatalogueQuerySet(models.QuerySet):
    """Shared by tests and exercises: the standard entries (no clinic) plus a clinic's
    own."""

    def standard(self):
        return self.filter(clinic__isnull=True)

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id__in=clinics_of(user)))

    def for_clinic(self, clinic):
        return self.filter(Q(clinic__isnull=True) | Q(clinic=clinic))

    def active(self):
        return self.filter(is_active=True)


# --- Neurodynamic test catalogue -------------------------------------------------


class NeuroTest(TimeStampedModel):
    """A neurodynamic test such as the straight leg raise. Standard tests ship with
    Glide (``clinic`` empty); a clinic may add its own."""

    class Region(models.TextChoices):
        LOWER = "lower", "Lower limb"
        UPPER = "upper", "Upper limb"
        SPINE = "spine", "Spine"

    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="neuro_tests"
    )
    code = models.SlugField(max_length=30, help_text='Stable code, e.g. "SLR" or "ULNT1".')
    name = models.CharField(max_length=120)
    nerve_bias = models.CharField(max_length=120)
    region = models.CharField(max_length=10, choices=Region.choices)
    measured_joint = models.CharField(
        max_length=80, help_text='The movement measured at symptom onset, e.g. "hip flexion".'
    )
    description = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(clinic__isnull=True), name="neurotest_unique_standard_code"
            ),
            models.UniqueConstraint(fields=["clinic", "code"], name="neurotest_unique_clinic_code"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    @property
    def is_standard(self):
        return self.clinic_id is None

    def clean(self):
        if self.clinic_id and NeuroTest.objects.standard().filter(code=self.code).exists():
            raise ValidationError({"code": "A standard test already uses this code."})


class TestStep(models.Model):
    """One position of a test, applied in order: a base component, a sensitizer, or a
    structural-differentiation manoeuvre."""

    __test__ = False  # not a pytest test class

    class Kind(models.TextChoices):
        BASE = "base", "Base component"
        SENSITIZER = "sensitizer", "Sensitizer"
        DIFFERENTIATION = "differentiation", "Structural differentiation"

    test = models.ForeignKey(NeuroTest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=60, help_text='Stable code, e.g. "ankle-dorsiflexion".')
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    differentiates = models.BooleanField(
        default=False,
        help_text="Can be used to differentiate: a differentiation step, or a sensitizer "
        "applied far from the symptoms (e.g. ankle dorsiflexion in the SLR).",
    )
    instruction = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["test", "order"]
        constraints = [
            models.UniqueConstraint(fields=["test", "order"], name="teststep_unique_order"),
            models.UniqueConstraint(fields=["test", "code"], name="teststep_unique_code"),
            models.CheckConstraint(
                condition=Q(kind__in=["base", "sensitizer", "differentiation"]),
                name="teststep_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="differentiation") | Q(differentiates=True),
                name="teststep_differentiation_differentiates",
            ),
        ]

    def __str__(self):
        return f"{self.test.code} {self.order}. {self.name}"


# --- Assessments -----------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def signed(self):
        return self.filter(status=Assessment.Status.SIGNED)

    def drafts(self):
        return self.filter(status=Assessment.Status.DRAFT)

    def with_results(self):
        return self.select_related("patient", "therapist", "signed_by").prefetch_related(
            models.Prefetch(
                "results",
                queryset=TestResult.objects.select_related("test").prefetch_related(
                    models.Prefetch("findings", queryset=StepFinding.objects.select_related("step"))
                ),
            ),
            "addenda__author",
        )

    def listed(self):
        """For reading a page of assessments: rows, not model instances, holding their
        own columns (``pk``, ``clinic_id``, ``performed_at``...), the clinic's slug and
        the therapist's and the signer's id and names (``therapist_id``,
        ``therapist__username``...). A page is only shown, never saved back, and
        building each assessment with its clinic and people took longer than reading
        them."""
        people = [
            f"{person}{column}"
            for person in ("therapist", "signed_by")
            for column in ("_id", *(f"__{name}" for name in PERSON_SHOWN))
        ]
        return self.values_list(
            "pk",
            "patient_id",
            "clinic_id",
            "clinic__slug",
            "performed_at",
            "complaint",
            "notes",
            "status",
            "signed_at",
            "version",
            "created_at",
            "updated_at",
            *people,
            named=True,
        )

    def update(self, **kwargs):
        if self.filter(status=Assessment.Status.SIGNED).exists():
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Assessment.Status.SIGNED).exists():
            raise ProtectedRecordError("A signed assessment cannot be deleted.")
        return super().delete()


class Assessment(TimeStampedModel):
    """One visit's neurodynamic assessment. Drafts can be edited (with optimistic
    locking on ``version``); once signed, the note is immutable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="assessments")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    complaint = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(10000)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_assessments",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-performed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, signed_by__isnull=True)
                | Q(status="signed", signed_at__isnull=False, signed_by__isnull=False),
                name="assessment_signature_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-performed_at"]),
            models.Index(fields=["clinic", "-performed_at"]),
            models.Index(fields=["clinic", "updated_at"]),
            # Unsigned notes, newest first: a few percent of the rows, so a small index.
            models.Index(
                fields=["clinic", "-performed_at"],
                condition=Q(status="draft"),
                name="assessment_clinic_drafts_idx",
            ),
        ]

    def __str__(self):
        return f"{self.patient} on {self.performed_at:%Y-%m-%d}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    def stored_as_signed(self):
        """Whether the row in the database is signed, whatever this instance says."""
        stored = getattr(self, "_stored_status", None)
        if stored is None and not self._state.adding:
            stored = Assessment.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return stored == self.Status.SIGNED

    def save(self, *args, **kwargs):
        if not self._state.adding and self.stored_as_signed():
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        if self.patient_id and not self.clinic_id:
            self.clinic_id = self.patient.clinic_id
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args, **kwargs):
        if self.stored_as_signed():
            raise ProtectedRecordError("A signed assessment cannot be deleted.")
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.patient_id and self.clinic_id and self.patient.clinic_id != self.clinic_id:
            raise ValidationError({"patient": "The patient belongs to another clinic."})


class ChildOfAssessmentQuerySet(models.QuerySet):
    """Results and findings follow their assessment: no bulk change once signed."""

    assessment_path = "assessment"

    def _touches_signed(self):
        return self.filter(**{f"{self.assessment_path}__status": Assessment.Status.SIGNED}).exists()

    def update(self, **kwargs):
        if self._touches_signed():
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        return super().update(**kwargs)

    def delete(self):
        if self._touches_signed():
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        return super().delete()


class TestResultQuerySet(ChildOfAssessmentQuerySet):
    assessment_path = "assessment"


class StepFindingQuerySet(ChildOfAssessmentQuerySet):
    assessment_path = "result__assessment"


def _assessment_is_signed(assessment_id):
    return Assessment.objects.filter(pk=assessment_id, status=Assessment.Status.SIGNED).exists()


class TestResult(TimeStampedModel):
    """One test on one side during an assessment."""

    __test__ = False  # not a pytest test class

    class Differentiation(models.TextChoices):
        INCREASED = "increased", "Increased symptoms"
        DECREASED = "decreased", "Eased symptoms"
        UNCHANGED = "unchanged", "No change"
        NOT_TESTED = "not_tested", "Not tested"

    class Interpretation(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        INCONCLUSIVE = "inconclusive", "Inconclusive"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    test = models.ForeignKey(NeuroTest, on_delete=models.PROTECT, related_name="results")
    side = models.CharField(max_length=5, choices=Side.choices)
    range_at_onset_deg = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(180)],
        help_text="P1: the angle of the measured joint at the first onset of symptoms.",
    )
    range_at_max_deg = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(180)],
        help_text="P2: the angle at the most symptoms the patient tolerates.",
    )
    differentiation = models.CharField(
        max_length=12, choices=Differentiation.choices, default=Differentiation.NOT_TESTED
    )
    interpretation = models.CharField(
        max_length=12,
        choices=Interpretation.choices,
        default=Interpretation.INCONCLUSIVE,
        help_text="Computed from the findings and the differentiation response.",
    )
    interpretation_override = models.CharField(max_length=12, choices=Interpretation.choices, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])

    objects = TestResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "test__code", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "test", "side"], name="testresult_unique_test_side"
            ),
            models.CheckConstraint(condition=Q(side__in=["left", "right"]), name="testresult_side_valid"),
            models.CheckConstraint(
                condition=Q(range_at_onset_deg__isnull=True) | Q(range_at_onset_deg__lte=180),
                name="testresult_onset_within_0_180",
            ),
            models.CheckConstraint(
                condition=Q(range_at_max_deg__isnull=True) | Q(range_at_max_deg__lte=180),
                name="testresult_max_within_0_180",
            ),
            models.CheckConstraint(
                condition=Q(range_at_onset_deg__isnull=True)
                | Q(range_at_max_deg__isnull=True)
                | Q(range_at_max_deg__gte=models.F("range_at_onset_deg")),
                name="testresult_max_not_below_onset",
            ),
            models.CheckConstraint(
                condition=Q(differentiation__in=["increased", "decreased", "unchanged", "not_tested"]),
                name="testresult_differentiation_valid",
            ),
            models.CheckConstraint(
                condition=Q(interpretation__in=["positive", "negative", "inconclusive"]),
                name="testresult_interpretation_valid",
            ),
            models.CheckConstraint(
                condition=Q(interpretation_override="") | ~Q(override_reason=""),
                name="testresult_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.test.code} {self.side}"

    @property
    def final_interpretation(self):
        return interpretation.effective_interpretation(self.interpretation, self.interpretation_override)

    def compute_interpretation(self, reproduction_levels=None):
        if reproduction_levels is None:
            reproduction_levels = list(self.findings.values_list("symptoms_reproduced", flat=True))
        return interpretation.interpret(reproduction_levels, self.differentiation)

    def refresh_interpretation(self):
        self.interpretation = self.compute_interpretation()

    def clean(self):
        errors = {}
        if (
            self.range_at_onset_deg is not None
            and self.range_at_max_deg is not None
            and self.range_at_max_deg < self.range_at_onset_deg
        ):
            errors["range_at_max_deg"] = "P2 (range at maximum symptoms) cannot be below P1 (onset)."
        if self.interpretation_override and not self.override_reason.strip():
            errors["override_reason"] = "Say why the computed interpretation is overridden."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if _assessment_is_signed(self.assessment_id):
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        if not self._state.adding:
            self.refresh_interpretation()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _assessment_is_signed(self.assessment_id):
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        return super().delete(*args, **kwargs)


class StepFinding(TimeStampedModel):
    """What happened at one step of a test: were the patient's symptoms reproduced,
    what kind, where, and how strong."""

    class Reproduced(models.TextChoices):
        NONE = "none", "None"
        PARTIAL = "partial", "Partly"
        FULL = "full", "Fully"

    class SymptomKind(models.TextChoices):
        PAIN = "pain", "Pain"
        PINS_AND_NEEDLES = "pins-and-needles", "Pins and needles"
        NUMBNESS = "numbness", "Numbness"
        BURNING = "burning", "Burning"
        STRETCH = "stretch", "Stretch or pulling"
        OTHER = "other", "Other"

    result = models.ForeignKey(TestResult, on_delete=models.CASCADE, related_name="findings")
    step = models.ForeignKey(TestStep, on_delete=models.PROTECT, related_name="findings")
    symptoms_reproduced = models.CharField(max_length=10, choices=Reproduced.choices, default=Reproduced.NONE)
    symptom_kinds = models.JSONField(default=list, blank=True)
    location = models.CharField(max_length=120, blank=True)
    intensity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="Numeric rating 0-10."
    )

    objects = StepFindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["result", "step__order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "step"], name="stepfinding_unique_step"),
            models.CheckConstraint(
                condition=Q(intensity__isnull=True) | Q(intensity__lte=10),
                name="stepfinding_intensity_within_0_10",
            ),
            models.CheckConstraint(
                condition=Q(symptoms_reproduced__in=["none", "partial", "full"]),
                name="stepfinding_reproduced_valid",
            ),
        ]

    def __str__(self):
        return f"{self.step} {self.symptoms_reproduced}"

    @property
    def symptom_kind_names(self):
        """The kinds of symptom as a reader says them ("pins and needles")."""
        labels = dict(self.SymptomKind.choices)
        return [str(labels.get(kind, kind)).lower() for kind in self.symptom_kinds or []]

    def clean(self):
        errors = {}
        if self.step_id and self.result_id and self.step.test_id != self.result.test_id:
            errors["step"] = "This step belongs to another test."
        unknown = set(self.symptom_kinds or []) - set(self.SymptomKind.values)
        if unknown:
            errors["symptom_kinds"] = f"Unknown symptom kinds: {', '.join(sorted(unknown))}."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        result = TestResult.objects.filter(pk=self.result_id).values("test_id", "assessment_id").first()
        if result and _assessment_is_signed(result["assessment_id"]):
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        if result and self.step.test_id != result["test_id"]:
            raise ValidationError({"step": "This step belongs to another test."})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _assessment_is_signed(self.result.assessment_id):
            raise ProtectedRecordError("A signed assessment cannot be changed; add an addendum.")
        return super().delete(*args, **kwargs)


class Addendum(TimeStampedModel):
    """A correction or later note on a signed assessment. Addenda are themselves
    never edited: write another one."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(validators=[MaxLengthValidator(10000)])

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "addenda"

    def __str__(self):
        return f"Addendum to {self.assessment} by {self.author}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ProtectedRecordError("An addendum cannot be changed; write another one.")
        if not _assessment_is_signed(self.assessment_id):
            raise ValidationError("Addenda are added to signed assessments; edit the draft instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtectedRecordError("An addendum cannot be deleted.")


# --- Exercise library --------------------------------------------------------------


class Exercise(TimeStampedModel):
    """A home exercise: a nerve slider or tensioner, or a related mobilization, with
    plain-language movements for the handout."""

    class Kind(models.TextChoices):
        SLIDER = "slider", "Slider"
        TENSIONER = "tensioner", "Tensioner"

    class Region(models.TextChoices):
        LOWER = "lower", "Lower limb"
        UPPER = "upper", "Upper limb"

    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="exercises"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    nerve = models.CharField(max_length=40, help_text='The nerve it mobilizes, e.g. "sciatic".')
    region = models.CharField(max_length=10, choices=Region.choices)
    purpose = models.TextField(validators=[MaxLengthValidator(1000)])
    what_to_feel = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    precautions = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    breathing_cue = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    imagery_cue = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    translations = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_exercise_translations],
        help_text='The patient-facing text in other languages: {"es": {"name": ..., "purpose": ...}}.',
    )
    default_sets = models.PositiveSmallIntegerField(default=1)
    default_reps = models.PositiveSmallIntegerField(default=10)
    default_hold_seconds = models.PositiveSmallIntegerField(default=0)
    default_times_per_day = models.PositiveSmallIntegerField(default=2)
    default_days_per_week = models.PositiveSmallIntegerField(default=7)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(clinic__isnull=True), name="exercise_unique_standard_slug"
            ),
            models.UniqueConstraint(fields=["clinic", "slug"], name="exercise_unique_clinic_slug"),
            models.CheckConstraint(condition=Q(kind__in=["slider", "tensioner"]), name="exercise_kind_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_standard(self):
        return self.clinic_id is None

    def clean(self):
        if self.clinic_id and Exercise.objects.standard().filter(slug=self.slug).exists():
            raise ValidationError({"slug": "A standard exercise already uses this slug."})


class ExerciseMovement(models.Model):
    """One position or movement of an exercise, with its numbered steps and the
    drawing printed beside them."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="movements")
    order = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=120)
    steps = models.JSONField(default=list, help_text="Numbered steps, one action each.")
    illustration = models.CharField(
        max_length=200, blank=True, help_text="Path of the drawing among the static files."
    )
    illustration_alt = models.CharField(max_length=200, blank=True)
    translations = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_movement_translations],
        help_text='The title, steps and picture text in other languages: {"es": {"title": "..."}}.',
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["exercise", "order"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "order"], name="movement_unique_order"),
            models.UniqueConstraint(fields=["exercise", "slug"], name="movement_unique_slug"),
        ]

    def __str__(self):
        return f"{self.exercise.name}: {self.title}"


# --- Plans ---------------------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def active(self):
        return self.filter(status=Plan.Status.ACTIVE)

    def with_items(self):
        return self.select_related("patient", "therapist", "clinic", "assessment").prefetch_related(
            models.Prefetch(
                "items",
                queryset=PlanItem.objects.select_related("exercise").prefetch_related("exercise__movements"),
            )
        )


class Plan(TimeStampedModel):
    """A mobilization plan: the exercises a patient does at home, with their doses."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="plans")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    goals = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    start_date = models.DateField(default=timezone.localdate)
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    version = models.PositiveIntegerField(default=1)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(review_date__gte=models.F("start_date")),
                name="plan_review_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "completed", "stopped"]), name="plan_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-start_date"]),
            models.Index(fields=["clinic", "updated_at"]),
        ]

    def __str__(self):
        return f"Plan for {self.patient} from {self.start_date}"

    def save(self, *args, **kwargs):
        if self.patient_id and not self.clinic_id:
            self.clinic_id = self.patient.clinic_id
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtectedRecordError("Plans are stopped or completed, never deleted.")

    def clean(self):
        errors = {}
        if self.review_date and self.start_date and self.review_date < self.start_date:
            errors["review_date"] = "The review date is before the start date."
        if self.assessment_id and self.patient_id and self.assessment.patient_id != self.patient_id:
            errors["assessment"] = "This assessment is another patient's."
        if errors:
            raise ValidationError(errors)


class PlanItem(TimeStampedModel):
    """One exercise of a plan, with the patient's dose."""

    class Side(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both sides"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="plan_items")
    order = models.PositiveSmallIntegerField(default=0)
    sets = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reps = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    hold_seconds = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(300)])
    times_per_day = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    weekdays = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_weekdays],
        help_text='The days of the week to do it on, Monday first (e.g. ["mon", "wed", "fri"]); '
        "none named leaves the days to the patient.",
    )
    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    cues = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text="Extra cues from the therapist, printed on the handout.",
    )

    history = HistoricalRecords()

    # What the therapist prescribes, in the order the API, the forms and the admin show it.
    DOSE_FIELDS = (
        "sets",
        "reps",
        "hold_seconds",
        "times_per_day",
        "days_per_week",
        "weekdays",
        "side",
        "cues",
    )

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(sets__gte=1, sets__lte=10), name="planitem_sets_1_10"),
            models.CheckConstraint(condition=Q(reps__gte=1, reps__lte=100), name="planitem_reps_1_100"),
            models.CheckConstraint(condition=Q(hold_seconds__lte=300), name="planitem_hold_0_300"),
            models.CheckConstraint(
                condition=Q(times_per_day__gte=1, times_per_day__lte=10), name="planitem_times_per_day_1_10"
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1, days_per_week__lte=7), name="planitem_days_per_week_1_7"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["left", "right", "both"]), name="planitem_side_valid"
            ),
        ]

    def __str__(self):
        return f"{self.exercise} in {self.plan}"

    def clean(self):
        if self.weekdays is None:
            self.weekdays = []
        if isinstance(self.weekdays, list):
            self.weekdays = schedule.in_week_order(self.weekdays)
        mismatch = schedule.count_mismatch(self.weekdays, self.days_per_week)
        if mismatch:
            raise ValidationError({"days_per_week": mismatch})

    @property
    def is_every_day(self):
        return self.days_per_week == 7

    @property
    def weekday_names(self):
        return schedule.day_names(self.weekdays)

    def validate_constraints(self, exclude=None):
        """The check constraints restate the fields' own bounds and choices, which
        ``clean_fields`` checks without the database; the database still enforces
        them on save. Checked here too, they would cost a query each for every item
        of a plan, and the plan builder validates all its items on each button press."""


class HandoutPrint(TimeStampedModel):
    """A printed home-exercise handout: who printed which plan, when, and the PDF's
    fingerprint, so that a copy in a patient's hands can be matched to the record."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="handout_prints")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="prints")
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paper_size = models.CharField(max_length=10, choices=Clinic.PaperSize.choices)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    page_count = models.PositiveSmallIntegerField(default=1)
    # The PDF exactly as printed, so that what the record points at is what the patient
    # holds (a rendering later may differ: the plan, the catalogue or the fonts change).
    # Empty for prints made before Glide kept them.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    language = models.CharField(max_length=10, default="en", help_text="The language it was printed in.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Handout of {self.plan} printed {self.created_at:%Y-%m-%d %H:%M}"


class ExerciseReminder(models.Model):
    """One day's reminder e-mail about a plan: written before the e-mail is sent, so
    a plan is reminded at most once a day however often the sweep runs."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "day"], name="one_reminder_per_plan_per_day")]

    def __str__(self):
        return f"Reminder of {self.plan_id} on {self.day}"
