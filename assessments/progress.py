"""
A patient's progress: per test and side, the readings of each visit in order.

One query whatever the number of visits: the results are read as rows with their
worst finding intensity aggregated by the database, then grouped here.

The chart reads it on every visit, and building and compiling the queryset took
Django longer than running it took the database. The queryset (``progress_rows``)
stays the one definition: it is compiled once per database connection
(``clinic.compiled``), and each read then sends that SQL with the patient (and test)
as parameters and converts the rows as the ORM would.
"""

from itertools import groupby
from operator import itemgetter

from django.db.models import Max

from clinic.compiled import CompiledQuery
from clinic.models import Patient

from . import interpretation
from .models import TestResult

POINT_FIELDS = (
    "test__code",
    "side",
    "assessment_id",
    "assessment__performed_at",
    "range_at_onset_deg",
    "range_at_max_deg",
    "interpretation",
    "interpretation_override",
)


def progress_rows(patient_id, test_code=None):
    """``(test code, side, assessment id, performed at, P1, P2, interpretation,
    override, worst intensity)`` tuples, by test and side, oldest visit first."""
    results = TestResult.objects.filter(assessment__patient_id=patient_id)
    if test_code:
        results = results.filter(test__code=test_code)
    return (
        results.values(*POINT_FIELDS)
        .annotate(worst_intensity=Max("findings__intensity"))
        .order_by("test__code", "side", "assessment__performed_at", "assessment_id")
        .values_list(*POINT_FIELDS, "worst_intensity")
    )


def _progress_parameters(database, patient_id, test_code=None):
    return [Patient._meta.pk.get_db_prep_value(patient_id, database), *([test_code] if test_code else [])]


_PROGRESS = CompiledQuery(
    TestResult, progress_rows, _progress_parameters, shape=lambda patient_id, test_code=None: bool(test_code)
)


def read_progress_rows(patient_id, test_code=None):
    """The rows of ``progress_rows(patient_id, test_code)``, from its compiled SQL."""
    return _PROGRESS.rows(patient_id, test_code)


def progress_series(patient, test_code=None):
    """``[{"test", "side", "points": [{"assessment", "performed_at", P1, P2,
    "interpretation", "worst_intensity"}]}]``, oldest visit first."""
    effective = interpretation.effective_interpretation
    return [
        {
            "test": test,
            "side": side,
            "points": [
                {
                    "assessment": assessment_id,
                    "performed_at": performed_at,
                    "range_at_onset_deg": onset,
                    "range_at_max_deg": maximum,
                    "interpretation": effective(computed, override),
                    "worst_intensity": worst,
                }
                for _, _, assessment_id, performed_at, onset, maximum, computed, override, worst in rows
            ],
        }
        for (test, side), rows in groupby(read_progress_rows(patient.pk, test_code), key=itemgetter(0, 1))
    ]
