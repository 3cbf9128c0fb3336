"""
A patient's progress: per test and side, the readings of each visit in order.

One query whatever the number of visits: the results are read as rows with their
worst finding intensity aggregated by the database, then grouped here.
"""

from itertools import groupby
from operator import itemgetter

from django.db.models import Max

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


def progress_rows(patient, test_code=None):
    """``(test code, side, assessment id, performed at, P1, P2, interpretation,
    override, worst intensity)`` tuples, by test and side, oldest visit first."""
    results = TestResult.objects.filter(assessment__patient=patient)
    if test_code:
        results = results.filter(test__code=test_code)
    return (
        results.values(*POINT_FIELDS)
        .annotate(worst_intensity=Max("findings__intensity"))
        .order_by("test__code", "side", "assessment__performed_at", "assessment_id")
        .values_list(*POINT_FIELDS, "worst_intensity")
    )


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
        for (test, side), rows in groupby(progress_rows(patient, test_code), key=itemgetter(0, 1))
    ]
