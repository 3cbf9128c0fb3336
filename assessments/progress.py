"""
A patient's progress: per test and side, the readings of each visit in order.

One query whatever the number of visits: the results are read as rows with their
worst finding intensity aggregated by the database, then grouped here.
"""

from itertools import groupby

from django.db.models import Max

from . import interpretation
from .models import TestResult


def progress_rows(patient, test_code=None):
    results = TestResult.objects.filter(assessment__patient=patient)
    if test_code:
        results = results.filter(test__code=test_code)
    return (
        results.values(
            "test__code",
            "side",
            "assessment_id",
            "assessment__performed_at",
            "range_at_onset_deg",
            "range_at_max_deg",
            "interpretation",
            "interpretation_override",
        )
        .annotate(worst_intensity=Max("findings__intensity"))
        .order_by("test__code", "side", "assessment__performed_at", "assessment_id")
    )


def progress_series(patient, test_code=None):
    """``[{"test", "side", "points": [{"assessment", "performed_at", P1, P2,
    "interpretation", "worst_intensity"}]}]``, oldest visit first."""
    rows = progress_rows(patient, test_code)
    return [
        {
            "test": test,
            "side": side,
            "points": [
                {
                    "assessment": row["assessment_id"],
                    "performed_at": row["assessment__performed_at"],
                    "range_at_onset_deg": row["range_at_onset_deg"],
                    "range_at_max_deg": row["range_at_max_deg"],
                    "interpretation": interpretation.effective_interpretation(
                        row["interpretation"], row["interpretation_override"]
                    ),
                    "worst_intensity": row["worst_intensity"],
                }
                for row in points
            ],
        }
        for (test, side), points in groupby(rows, key=lambda row: (row["test__code"], row["side"]))
    ]
