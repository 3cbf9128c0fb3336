"""
The clinical side over the API.

Tests, steps and exercises are named by their codes and slugs
(``"test": "SLR"``, ``"step": "ankle-dorsiflexion"``), looked up in the standard
catalogue plus the clinic of the patient being written about. Serializers check the
shape of the input and turn codes into records; ``assessments.services`` write
assessments and plans whole, in one transaction, and check the rules that span
several records.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from clinic.api import api_datetime
from clinic.models import Patient
from clinic.serializers import UserSummarySerializer

from . import interpretation, limits, schedule, services, translations
from .catalogue import EXERCISE_FIELDS
from .models import (
    Addendum,
    Assessment,
    Exercise,
    ExerciseMovement,
    NeuroTest,
    Plan,
    PlanItem,
    StepFinding,
    TestResult,
    TestStep,
)
from .shown import shown_addenda, shown_assessment, shown_results

# --- Catalogue ---------------------------------------------------------------------


class CatalogueCodeField(serializers.SlugRelatedField):
    """A test or exercise named by its code or slug, found in the standard catalogue
    plus the clinic of the record being written (``context["clinic"]``, set once
    the patient is known), or else the caller's clinics."""

    def get_queryset(self):
        catalogue = super().get_queryset()
        clinic = self.context.get("clinic")
        if clinic is not None:
            return catalogue.for_clinic(clinic)
        return catalogue.for_user(self.context["request"].user)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        entry = (
            self.get_queryset()
            .filter(**{self.slug_field: data})
            .order_by(F("clinic").asc(nulls_first=True))
            .first()
        )
        if entry is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return entry


class TestStepSerializer(serializers.ModelSerializer):
    __test__ = False

    class Meta:
        model = TestStep
        fields = ["order", "code", "name", "kind", "differentiates", "instruction"]
        read_only_fields = ["order"]


class NeuroTestSerializer(serializers.ModelSerializer):
    clinic = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Empty for the standard catalogue."
    )
    is_standard = serializers.BooleanField(read_only=True)
    steps = TestStepSerializer(many=True, help_text="In the order they are applied.")

    class Meta:
        model = NeuroTest
        fields = [
            "id",
            "code",
            "name",
            "clinic",
            "is_standard",
            "nerve_bias",
            "region",
            "measured_joint",
            "description",
            "is_active",
            "steps",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "clinic", "is_standard", "version", "created_at", "updated_at"]
        validators = []

    def validate_code(self, code):
        if self.instance is not None and code != self.instance.code:
            raise serializers.ValidationError("A test's code never changes.", code="immutable")
        return code

    def validate_steps(self, steps):
        if not steps:
            raise serializers.ValidationError("A test has at least one step.", code="empty")
        codes = [step["code"] for step in steps]
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError("Each step needs its own code.", code="unique")
        for step in steps:
            if step["kind"] == TestStep.Kind.DIFFERENTIATION:
                step["differentiates"] = True
        return steps

    def validate(self, attrs):
        if self.instance is None:
            clinic = self.context["clinic"]
            code = attrs["code"]
            if NeuroTest.objects.for_clinic(clinic).filter(code=code).exists():
                raise serializers.ValidationError(
                    {"code": "The catalogue already has a test with this code."}, code="unique"
                )
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        steps = validated_data.pop("steps")
        test = NeuroTest.objects.create(clinic=self.context["clinic"], **validated_data)
        TestStep.objects.bulk_create(
            TestStep(test=test, order=order, **step) for order, step in enumerate(steps, start=1)
        )
        return test

    @transaction.atomic
    def update(self, test, validated_data):
        steps = validated_data.pop("steps", None)
        validated_data["version"] = test.version + 1
        test = super().update(test, validated_data)
        if steps is not None:
            self._replace_steps(test, steps)
        return test

    def _replace_steps(self, test, steps):
        """Steps are matched by code, so findings recorded on a kept step stay
        attached; removing a step that findings use is refused (409)."""
        existing = {step.code: step for step in test.steps.all()}
        wanted = {step["code"] for step in steps}
        for gone in set(existing) - wanted:
            existing.pop(gone).delete()
        # Park the kept steps out of the way of the unique (test, order) constraint.
        test.steps.update(order=F("order") + 1000)
        for order, fields in enumerate(steps, start=1):
            step = existing.get(fields["code"]) or TestStep(test=test)
            for name, value in {**fields, "order": order}.items():
                setattr(step, name, value)
            step.save()


def _flat_messages(detail, path=()):
    """``"es: name: Ensure..."`` for every message of a nested DRF error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flat_messages(value, path if key == "non_field_errors" else (*path, str(key)))
    elif isinstance(detail, list):
        for value in detail:
            yield from _flat_messages(value, path)
    else:
        yield ": ".join((*path, str(detail)))


class TranslationsField(serializers.DictField):
    """Texts keyed by the code of a language patients can read, other than English.

    Its errors are reported on the field itself (``translations``), each message
    naming the language and text it is about, so that every ``attr`` the API answers
    is one its schema documents."""

    def to_internal_value(self, data):
        languages = translations.translated_languages()
        unknown = sorted(set(data) - set(languages)) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError(
                f"Glide does not print in {', '.join(map(repr, unknown))}; "
                f"choose among: {', '.join(languages)}.",
                code="invalid",
            )
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                raise serializers.ValidationError(
                    list(_flat_messages(error.detail)), code="invalid"
                ) from error
            raise


class MovementTextSerializer(serializers.Serializer):
    """A movement's text in one language; what is left out prints in English."""

    title = serializers.CharField(max_length=120, required=False)
    steps = serializers.ListField(child=serializers.CharField(max_length=400), required=False)
    illustration_alt = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExerciseTextSerializer(serializers.Serializer):
    """An exercise's patient-facing text in one language; what is left out prints in
    English (and the handout says so)."""

    name = serializers.CharField(max_length=120, required=False)
    purpose = serializers.CharField(required=False)
    what_to_feel = serializers.CharField(required=False, allow_blank=True)
    precautions = serializers.CharField(required=False, allow_blank=True)
    breathing_cue = serializers.CharField(required=False, allow_blank=True)
    imagery_cue = serializers.CharField(required=False, allow_blank=True)


class ExerciseMovementSerializer(serializers.ModelSerializer):
    steps = serializers.ListField(
        child=serializers.CharField(max_length=400),
        allow_empty=False,
        max_length=limits.MAX_STEPS_PER_MOVEMENT,
        help_text="One action each.",
    )
    translations = TranslationsField(
        child=MovementTextSerializer(),
        required=False,
        help_text='The title, steps and picture text in other languages, e.g. {"es": {"title": "..."}}.',
    )

    class Meta:
        model = ExerciseMovement
        fields = ["order", "slug", "title", "steps", "illustration", "illustration_alt", "translations"]
        read_only_fields = ["order", "illustration"]


class ExerciseSerializer(serializers.ModelSerializer):
    clinic = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Empty for the standard catalogue."
    )
    is_standard = serializers.BooleanField(read_only=True)
    movements = ExerciseMovementSerializer(many=True, max_length=limits.MAX_MOVEMENTS)
    translations = TranslationsField(
        child=ExerciseTextSerializer(),
        required=False,
        help_text=(
            'The patient-facing text in other languages, e.g. {"es": {"name": "...", "purpose": "..."}}; '
            "what a language leaves out prints in English."
        ),
    )
    languages = serializers.SerializerMethodField(
        help_text="The languages a handout prints this exercise in whole, without falling back to English."
    )

    class Meta:
        model = Exercise
        fields = [
            "id",
            "slug",
            "clinic",
            "is_standard",
            *EXERCISE_FIELDS,
            "translations",
            "languages",
            "is_active",
            "movements",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "clinic", "is_standard", "version", "created_at", "updated_at"]
        validators = []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, exercise):
        return [translations.SOURCE_LANGUAGE] + [
            language
            for language in translations.translated_languages()
            if translations.exercise_text(exercise, language).is_complete
        ]

    def validate_slug(self, slug):
        if self.instance is not None and slug != self.instance.slug:
            raise serializers.ValidationError("An exercise's slug never changes.", code="immutable")
        return slug

    def validate_movements(self, movements):
        if not movements:
            raise serializers.ValidationError("An exercise has at least one movement.", code="empty")
        slugs = [movement["slug"] for movement in movements]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError("Each movement needs its own slug.", code="unique")
        return movements

    def validate(self, attrs):
        if self.instance is None:
            clinic = self.context["clinic"]
            if Exercise.objects.for_clinic(clinic).filter(slug=attrs["slug"]).exists():
                raise serializers.ValidationError(
                    {"slug": "The library already has an exercise with this slug."}, code="unique"
                )
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        movements = validated_data.pop("movements")
        exercise = Exercise.objects.create(clinic=self.context["clinic"], **validated_data)
        self._create_movements(exercise, movements)
        return exercise

    @transaction.atomic
    def update(self, exercise, validated_data):
        movements = validated_data.pop("movements", None)
        validated_data["version"] = exercise.version + 1
        exercise = super().update(exercise, validated_data)
        if movements is not None:
            exercise.movements.all().delete()
            self._create_movements(exercise, movements)
        return exercise

    def _create_movements(self, exercise, movements):
        ExerciseMovement.objects.bulk_create(
            ExerciseMovement(exercise=exercise, order=order, **movement)
            for order, movement in enumerate(movements, start=1)
        )


# --- Assessments ---------------------------------------------------------------------


class StepCodeField(serializers.SlugField):
    """A step named by its code within the result's test; the result resolves it."""

    def to_representation(self, step):
        return step.code


class StepFindingSerializer(serializers.ModelSerializer):
    step = StepCodeField(help_text="The step's code within the result's test, e.g. \"ankle-dorsiflexion\".")
    symptom_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=StepFinding.SymptomKind.choices), required=False
    )

    class Meta:
        model = StepFinding
        fields = ["step", "symptoms_reproduced", "symptom_kinds", "location", "intensity"]


class TestResultSerializer(serializers.ModelSerializer):
    __test__ = False

    test = CatalogueCodeField(slug_field="code", queryset=NeuroTest.objects.all(), help_text='e.g. "SLR".')
    findings = StepFindingSerializer(many=True, required=False)
    final_interpretation = serializers.ChoiceField(
        choices=TestResult.Interpretation.choices,
        read_only=True,
        help_text="The clinician's override when there is one, else the computed interpretation.",
    )
    side_difference_deg = serializers.SerializerMethodField(
        help_text="Difference in range at symptom onset from the same test on the other side."
    )

    class Meta:
        model = TestResult
        fields = [
            "id",
            "test",
            "side",
            "range_at_onset_deg",
            "range_at_max_deg",
            "differentiation",
            "interpretation",
            "interpretation_override",
            "override_reason",
            "final_interpretation",
            "side_difference_deg",
            "notes",
            "findings",
        ]
        read_only_fields = ["id", "interpretation"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_side_difference_deg(self, result):
        other_side = next(
            (
                other
                for other in result.assessment.results.all()
                if other.test_id == result.test_id and other.side != result.side
            ),
            None,
        )
        return interpretation.side_difference_deg(
            result.range_at_onset_deg, other_side.range_at_onset_deg if other_side else None
        )

    def validate(self, attrs):
        """Turn each finding's step code into the step of this result's test."""
        test = attrs["test"]
        steps = {step.code: step for step in test.steps.all()}
        errors, unknown = [], False
        for finding in attrs.get("findings", []):
            step = steps.get(finding["step"])
            if step is None:
                unknown = True
                message = f'{test.code} has no step "{finding["step"]}".'
                errors.append({"step": [ErrorDetail(message, code="does_not_exist")]})
            else:
                finding["step"] = step
                errors.append({})
        if unknown:
            raise serializers.ValidationError({"findings": errors})
        return attrs


class AssessmentResultsSerializer(serializers.ListSerializer):
    """An assessment's results: written through ``TestResultSerializer``, shown
    from rows (``shown_results``); a list reads a whole page's at once
    (``AssessmentListSerializer``)."""

    def get_attribute(self, assessment):
        return assessment

    def to_representation(self, assessment):
        return shown_results([assessment.pk]).get(assessment.pk, [])


class AssessmentListSerializer(serializers.ListSerializer):
    """A page of assessments, read as rows (``Assessment.objects.listed()``), reads
    the results and addenda of all of them in the same three queries, and writes
    each assessment in one pass (``shown_assessment``): DRF's walk over every field
    of fifty assessments and their people took longer than reading them. The tests
    hold a listed assessment equal to the same assessment read on its own."""

    def to_representation(self, rows):
        ids = [row.pk for row in rows]
        results, addenda = shown_results(ids), shown_addenda(ids)
        zone = timezone.get_current_timezone()
        return [shown_assessment(row, results.get(row.pk, []), addenda.get(row.pk, []), zone) for row in rows]


class AddendumSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = Addendum
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class CallersPatientField(serializers.PrimaryKeyRelatedField):
    """A patient of the caller's clinics, looked up when a body is read: a list
    never reads one, and scoping the field when the serializer was made built every
    field of an assessment for each page."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return super().get_queryset()
        return Patient.objects.for_user(request.user).select_related("clinic")


class ClinicalRecordSerializer(serializers.ModelSerializer):
    """Shared by assessments and plans: the patient is one of the caller's, and the
    clinic (for catalogue lookups and the caller's role) is the patient's."""

    clinic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    patient = CallersPatientField(queryset=Patient.objects.none())
    therapist = UserSummarySerializer(read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, self.Meta.model):
            self.context["clinic"] = self.instance.clinic

    def validate_patient(self, patient):
        # Runs before the nested fields (``patient`` comes first in ``fields``), so
        # that codes are looked up in this patient's clinic.
        if self.instance is not None and patient.pk != self.instance.patient_id:
            raise serializers.ValidationError("A record stays with its patient.", code="immutable")
        request = self.context["request"]
        if not request.user.can_write_clinical(patient.clinic_id):
            self.context["view"].refuse(
                request, patient, "Your role in this patient's clinic does not allow this change."
            )
        if self.instance is None and patient.is_archived:
            raise serializers.ValidationError("This patient is archived.", code="archived")
        self.context["clinic"] = patient.clinic
        return patient


class AssessmentSerializer(ClinicalRecordSerializer):
    signed_by = UserSummarySerializer(read_only=True, allow_null=True)
    results = AssessmentResultsSerializer(child=TestResultSerializer(), required=False)
    addenda = AddendumSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "patient",
            "id",
            "clinic",
            "therapist",
            "performed_at",
            "complaint",
            "notes",
            "status",
            "signed_at",
            "signed_by",
            "version",
            "results",
            "addenda",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = AssessmentListSerializer
        read_only_fields = [
            "id",
            "clinic",
            "therapist",
            "status",
            "signed_at",
            "signed_by",
            "version",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        return services.create_assessment(therapist=self.context["request"].user, **validated_data)

    def update(self, assessment, validated_data):
        validated_data.pop("patient", None)
        return services.update_assessment(assessment, **validated_data)


class WeekdaysField(serializers.ListField):
    """Days of the week as FHIR's codes, given in any order (kept Monday first)."""

    child = serializers.ChoiceField(choices=schedule.Weekday.choices)

    def to_internal_value(self, data):
        days = super().to_internal_value(data)
        if len(set(days)) != len(days):
            raise serializers.ValidationError("Each day can be named once.", code="duplicate")
        return days


class PlanItemSerializer(serializers.ModelSerializer):
    exercise = CatalogueCodeField(
        slug_field="slug", queryset=Exercise.objects.all(), help_text='e.g. "active-hamstring-mobilization".'
    )
    weekdays = WeekdaysField(
        required=False,
        max_length=7,
        help_text='The days to do it on, e.g. ["mon", "wed", "fri"]; they set `days_per_week`. '
        "Empty when the patient chooses the days.",
    )

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "order",
            "exercise",
            *PlanItem.DOSE_FIELDS,
        ]
        read_only_fields = ["id", "order"]


class PlanSerializer(ClinicalRecordSerializer):
    assessment = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.none(), allow_null=True, required=False
    )
    items = PlanItemSerializer(many=True, required=False, help_text="In the order the patient does them.")

    class Meta:
        model = Plan
        fields = [
            "patient",
            "id",
            "clinic",
            "therapist",
            "assessment",
            "goals",
            "start_date",
            "review_date",
            "status",
            "items",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "clinic", "therapist", "version", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["assessment"].queryset = Assessment.objects.for_user(request.user)
        self.fields["items"].max_length = settings.GLIDE_MAX_PLAN_ITEMS

    def create(self, validated_data):
        return services.create_plan(therapist=self.context["request"].user, **validated_data)

    def update(self, plan, validated_data):
        validated_data.pop("patient", None)
        return services.update_plan(plan, **validated_data)


# --- Progress ------------------------------------------------------------------------


class ProgressPointSerializer(serializers.Serializer):
    assessment = serializers.UUIDField()
    performed_at = serializers.DateTimeField()
    range_at_onset_deg = serializers.IntegerField(allow_null=True, help_text="P1")
    range_at_max_deg = serializers.IntegerField(allow_null=True, help_text="P2")
    interpretation = serializers.ChoiceField(
        choices=TestResult.Interpretation.choices, help_text="The effective one: an override wins."
    )
    worst_intensity = serializers.IntegerField(allow_null=True)


class ProgressSeriesSerializer(serializers.Serializer):
    test = serializers.CharField()
    side = serializers.ChoiceField(choices=TestResult._meta.get_field("side").choices)
    points = ProgressPointSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    """The nested serializers describe the answer (the schema); the answer itself is
    written in one pass over the points, with the time zone looked up once.

    A chart holds a point per visit, test and side, and DRF's walk over every field
    of every point (each date-time asking for the current time zone) took longer
    than reading the points. The tests hold the two representations equal."""

    series = ProgressSeriesSerializer(many=True)

    def to_representation(self, progress):
        zone = timezone.get_current_timezone()
        return {
            "series": [
                {
                    "test": series["test"],
                    "side": series["side"],
                    "points": [
                        {
                            "assessment": str(point["assessment"]),
                            "performed_at": api_datetime(point["performed_at"], zone),
                            "range_at_onset_deg": point["range_at_onset_deg"],
                            "range_at_max_deg": point["range_at_max_deg"],
                            "interpretation": point["interpretation"],
                            "worst_intensity": point["worst_intensity"],
                        }
                        for point in series["points"]
                    ],
                }
                for series in progress["series"]
            ]
        }
