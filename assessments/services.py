"""
Writes that span several records: an assessment with its results and findings, a
plan with its items, signing, addenda.

Each function is one transaction, so a request that fails halfway leaves nothing
behind. The API's serializers and the web pages' forms check the shape of the
input and hand over model instances (tests, steps, exercises already looked up);
the rules that involve several records at once are checked here, where every path
goes through them, and reported with dotted field paths
(``results.0.findings.1.step``) so both callers can show them beside the field.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from clinic.models import ProtectedRecordError

from . import interpretation, limits, schedule
from .models import Addendum, Assessment, Plan, PlanItem, StepFinding, TestResult

RESULT_FIELDS = (
    "range_at_onset_deg",
    "range_at_max_deg",
    "differentiation",
    "interpretation_override",
    "override_reason",
    "notes",
)
FINDING_FIELDS = ("symptoms_reproduced", "symptom_kinds", "location", "intensity")


class StaleVersionError(Exception):
    """The record changed since the caller read it (optimistic locking)."""

    def __init__(self, current_version):
        super().__init__(f"The record is at version {current_version}.")
        self.current_version = current_version


class AlreadySignedError(ProtectedRecordError):
    pass


def validate_results(clinic, results):
    """Rules across results and findings. Returns ``{dotted path: message}``."""
    errors = {}
    seen_test_sides = set()
    total_findings = sum(len(result.get("findings") or []) for result in results)
    limit = settings.GLIDE_MAX_FINDINGS_PER_ASSESSMENT
    if total_findings > limit:
        errors["results"] = (
            f"An assessment holds at most {limit} step findings; this one has {total_findings}."
        )
        return errors
    for index, result in enumerate(results):
        prefix = f"results.{index}"
        test = result["test"]
        if test.clinic_id not in (None, clinic.pk):
            errors[f"{prefix}.test"] = "This test is not in your clinic's catalogue."
        key = (test.pk, result["side"])
        if key in seen_test_sides:
            errors[f"{prefix}.side"] = (
                f"{test.code} on the {result['side']} side is already in this assessment."
            )
        seen_test_sides.add(key)
        onset, maximum = result.get("range_at_onset_deg"), result.get("range_at_max_deg")
        if onset is not None and maximum is not None and maximum < onset:
            errors[f"{prefix}.range_at_max_deg"] = (
                "P2 (range at maximum symptoms) cannot be below P1 (onset)."
            )
        if result.get("interpretation_override") and not (result.get("override_reason") or "").strip():
            errors[f"{prefix}.override_reason"] = "Say why the computed interpretation is overridden."
        seen_steps = set()
        for finding_index, finding in enumerate(result.get("findings") or []):
            finding_prefix = f"{prefix}.findings.{finding_index}"
            step = finding["step"]
            if step.test_id != test.pk:
                errors[f"{finding_prefix}.step"] = f'The step "{step.code}" is not a step of {test.code}.'
            elif step.pk in seen_steps:
                errors[f"{finding_prefix}.step"] = f'The step "{step.code}" is recorded twice.'
            seen_steps.add(step.pk)
            unknown = set(finding.get("symptom_kinds") or []) - set(StepFinding.SymptomKind.values)
            if unknown:
                errors[f"{finding_prefix}.symptom_kinds"] = (
                    f"Unknown symptom kinds: {', '.join(sorted(unknown))}."
                )
    return errors


def _create_results(assessment, results):
    result_rows, finding_rows = [], []
    for result in results:
        findings = result.get("findings") or []
        differentiation = result.get("differentiation") or TestResult.Differentiation.NOT_TESTED
        row = TestResult(
            assessment=assessment,
            test=result["test"],
            side=result["side"],
            **{
                field: result[field]
                for field in RESULT_FIELDS
                if field in result and field != "differentiation"
            },
            differentiation=differentiation,
            interpretation=interpretation.interpret(
                [finding.get("symptoms_reproduced") or "none" for finding in findings], differentiation
            ),
        )
        result_rows.append(row)
        for finding in findings:
            finding_rows.append(
                StepFinding(
                    result=row,
                    step=finding["step"],
                    **{field: finding[field] for field in FINDING_FIELDS if field in finding},
                )
            )
    # Plain bulk_create sends no post_save, so the rows would have no history.
    bulk_create_with_history(result_rows, TestResult)
    bulk_create_with_history(finding_rows, StepFinding)


def _raise_if_invalid(errors):
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_assessment(*, therapist, patient, results=(), **fields):
    """Record a visit's assessment with its results and findings, as a draft."""
    results = list(results)
    _raise_if_invalid(validate_results(patient.clinic, results))
    assessment = Assessment(patient=patient, clinic_id=patient.clinic_id, therapist=therapist, **fields)
    assessment.full_clean(exclude=["therapist", "patient", "clinic"])
    assessment.save()
    _create_results(assessment, results)
    return assessment


def _lock_for_change(assessment, expected_version):
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_signed:
        raise AlreadySignedError("A signed assessment cannot be changed; add an addendum.")
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    return locked


@transaction.atomic
def update_assessment(assessment, *, expected_version=None, results=None, **fields):
    """Change a draft. ``results``, when given, replace the recorded ones whole."""
    locked = _lock_for_change(assessment, expected_version)
    if results is not None:
        results = list(results)
        _raise_if_invalid(validate_results(locked.clinic, results))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean(exclude=["therapist", "patient", "clinic"])
    locked.save()
    if results is not None:
        TestResult.objects.filter(assessment=locked).delete()
        _create_results(locked, results)
    return locked


@transaction.atomic
def sign_assessment(assessment, *, signed_by, at=None):
    """Sign a draft: from now on it is part of the legal record and never changes."""
    locked = _lock_for_change(assessment, None)
    locked.status = Assessment.Status.SIGNED
    locked.signed_by = signed_by
    locked.signed_at = at or timezone.now()
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def discard_draft(assessment):
    locked = _lock_for_change(assessment, None)
    locked.delete()


def add_addendum(assessment, *, author, text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the addendum's text."})
    if not assessment.is_signed:
        raise ValidationError({"assessment": "Addenda are for signed assessments; edit the draft instead."})
    return Addendum.objects.create(assessment=assessment, author=author, text=text)


def validate_plan(patient, assessment, items, start_date=None, review_date=None, goals=""):
    errors = {}
    if assessment is not None and assessment.patient_id != patient.pk:
        errors["assessment"] = "This assessment is another patient's."
    if start_date and review_date and review_date < start_date:
        errors["review_date"] = "The review date is before the start date."
    for index, item in enumerate(items):
        if item["exercise"].clinic_id not in (None, patient.clinic_id):
            errors[f"items.{index}.exercise"] = "This exercise is not in your clinic's library."
        if item.get("days_per_week") is not None:
            mismatch = schedule.count_mismatch(item.get("weekdays"), item["days_per_week"])
            if mismatch:
                errors[f"items.{index}.days_per_week"] = mismatch
    return errors or limits.plan_size_errors(goals, items)


def _create_items(plan, items):
    bulk_create_with_history(
        [
            PlanItem(
                plan=plan,
                exercise=item["exercise"],
                order=order,
                **_dose(item),
            )
            for order, item in enumerate(items, start=1)
        ],
        PlanItem,
    )


def _dose(item):
    """An item's dose fields as given; named days, put in week order, fix how many
    days a week."""
    dose = {field: item[field] for field in PlanItem.DOSE_FIELDS if item.get(field) is not None}
    weekdays = schedule.in_week_order(dose.get("weekdays") or [])
    if weekdays:
        dose.update(weekdays=weekdays, days_per_week=len(weekdays))
    return dose


@transaction.atomic
def create_plan(*, therapist, patient, items=(), assessment=None, **fields):
    items = list(items)
    _raise_if_invalid(
        validate_plan(
            patient,
            assessment,
            items,
            fields.get("start_date"),
            fields.get("review_date"),
            fields.get("goals", ""),
        )
    )
    plan = Plan(
        patient=patient, clinic_id=patient.clinic_id, therapist=therapist, assessment=assessment, **fields
    )
    plan.full_clean(exclude=["therapist", "patient", "clinic", "assessment"])
    plan.save()
    _create_items(plan, items)
    return plan


def _items_to_measure(plan, items, fields):
    """The items whose printed size a change must keep within the limits: the new
    ones, or the kept ones when only the goals change. A change of status alone
    measures nothing, so an old plan larger than today's limits can still be
    stopped or completed."""
    if items is not None:
        return items
    if "goals" in fields:
        kept = plan.items.select_related("exercise")
        return [{"exercise": item.exercise, "cues": item.cues} for item in kept]
    return []


@transaction.atomic
def update_plan(plan, *, expected_version=None, items=None, **fields):
    """Change a plan. ``items``, when given, replace the plan's exercises whole (in
    the order given)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    for name, value in fields.items():
        setattr(locked, name, value)
    _raise_if_invalid(
        validate_plan(
            locked.patient,
            locked.assessment,
            _items_to_measure(locked, items, fields),
            locked.start_date,
            locked.review_date,
            locked.goals,
        )
    )
    locked.version += 1
    locked.full_clean(exclude=["therapist", "patient", "clinic", "assessment"])
    locked.save()
    if items is not None:
        PlanItem.objects.filter(plan=locked).delete()
        _create_items(locked, list(items))
    return locked
