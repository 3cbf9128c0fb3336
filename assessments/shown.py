"""
What the API shows of assessments, read as rows rather than model instances.

A page of fifty assessments holds some three hundred results and a thousand findings;
building a model instance for each, and DRF's per-field walk over every value, took
most of a list's time. These functions give, key for key, what the serializers give
(``AssessmentSerializer``, ``TestResultSerializer``, ``AddendumSerializer``), and the
tests hold the two equal. The serializers still read what clients write.
"""

from collections import defaultdict

from django.utils import timezone

from clinic.api import api_datetime
from clinic.compiled import CompiledQuery
from clinic.models import PERSON_SHOWN
from clinic.serializers import person_summary

from . import interpretation
from .models import Addendum, Assessment, StepFinding, TestResult

OTHER_SIDE = {"left": "right", "right": "left"}


def _assessment_ids(database, assessment_ids):
    key = Assessment._meta.pk
    return [key.get_db_prep_value(pk, database) for pk in assessment_ids]


def _finding_rows(assessment_ids):
    return (
        StepFinding.objects.filter(result__assessment_id__in=assessment_ids)
        .order_by("result_id", "step__order")
        .values_list(
            "result_id", "step__code", "symptoms_reproduced", "symptom_kinds", "location", "intensity"
        )
    )


RESULT_COLUMNS = (
    "id",
    "assessment_id",
    "test_id",
    "test__code",
    "side",
    "range_at_onset_deg",
    "range_at_max_deg",
    "differentiation",
    "interpretation",
    "interpretation_override",
    "override_reason",
    "notes",
)


def _result_rows(assessment_ids):
    return (
        TestResult.objects.filter(assessment_id__in=assessment_ids)
        .order_by("assessment_id", "test__code", "side")
        .values_list(*RESULT_COLUMNS)
    )


def _addendum_rows(assessment_ids):
    return (
        Addendum.objects.filter(assessment_id__in=assessment_ids)
        .order_by("created_at")
        .values_list(
            "assessment_id",
            "id",
            "text",
            "created_at",
            "author_id",
            *(f"author__{name}" for name in PERSON_SHOWN),
        )
    )


# Every page of assessments reads these three, and building and compiling each
# queryset took about as long as running it; the SQL's text depends only on how
# many assessments the page holds.
_FINDINGS = CompiledQuery(StepFinding, _finding_rows, _assessment_ids, shape=len)
_RESULTS = CompiledQuery(TestResult, _result_rows, _assessment_ids, shape=len)
_ADDENDA = CompiledQuery(Addendum, _addendum_rows, _assessment_ids, shape=len)


def shown_results(assessment_ids):
    """The results of these assessments with their findings, as the API shows them
    (what ``TestResultSerializer`` gives for each), by assessment id, read as rows:
    two queries whatever the number of assessments."""
    findings = defaultdict(list)
    for result_id, step, reproduced, kinds, location, intensity in _FINDINGS.rows(assessment_ids):
        findings[result_id].append(
            {
                "step": step,
                "symptoms_reproduced": reproduced,
                "symptom_kinds": kinds,
                "location": location,
                "intensity": intensity,
            }
        )
    rows = defaultdict(list)
    for values in _RESULTS.rows(assessment_ids):
        row = dict(zip(RESULT_COLUMNS, values, strict=True))
        rows[row["assessment_id"]].append(row)
    shown = {}
    for assessment_id, results in rows.items():
        onsets = {(row["test_id"], row["side"]): row["range_at_onset_deg"] for row in results}
        shown[assessment_id] = [
            {
                "id": str(row["id"]),
                "test": row["test__code"],
                "side": row["side"],
                "range_at_onset_deg": row["range_at_onset_deg"],
                "range_at_max_deg": row["range_at_max_deg"],
                "differentiation": row["differentiation"],
                "interpretation": row["interpretation"],
                "interpretation_override": row["interpretation_override"],
                "override_reason": row["override_reason"],
                "final_interpretation": interpretation.effective_interpretation(
                    row["interpretation"], row["interpretation_override"]
                ),
                "side_difference_deg": interpretation.side_difference_deg(
                    row["range_at_onset_deg"], onsets.get((row["test_id"], OTHER_SIDE[row["side"]]))
                ),
                "notes": row["notes"],
                "findings": findings[row["id"]],
            }
            for row in results
        ]
    return shown


def shown_addenda(assessment_ids):
    """The addenda of these assessments as the API shows them (what
    ``AddendumSerializer`` gives for each), oldest first, by assessment id, read as
    rows in one query: most assessments have none, and a prefetch built a model for
    each addendum and its author."""
    zone = timezone.get_current_timezone()
    shown = defaultdict(list)
    for assessment_id, addendum_id, text, created_at, author_id, *person in _ADDENDA.rows(assessment_ids):
        shown[assessment_id].append(
            {
                "id": str(addendum_id),
                "text": text,
                "author": person_summary(author_id, *person),
                "created_at": api_datetime(created_at, zone),
            }
        )
    return shown


def _person(row, role):
    return person_summary(
        getattr(row, f"{role}_id"), *(getattr(row, f"{role}__{name}") for name in PERSON_SHOWN)
    )


def shown_assessment(row, results, addenda, zone):
    """What ``AssessmentSerializer`` shows of an assessment read as a row of
    ``Assessment.objects.listed()``, key for key, given its shown results and
    addenda and the current time zone."""
    return {
        "patient": row.patient_id,
        "id": str(row.pk),
        "clinic": row.clinic__slug,
        "therapist": _person(row, "therapist"),
        "performed_at": api_datetime(row.performed_at, zone),
        "complaint": row.complaint,
        "notes": row.notes,
        "status": row.status,
        "signed_at": None if row.signed_at is None else api_datetime(row.signed_at, zone),
        "signed_by": _person(row, "signed_by"),
        "version": row.version,
        "results": results,
        "addenda": addenda,
        "created_at": api_datetime(row.created_at, zone),
        "updated_at": api_datetime(row.updated_at, zone),
    }
