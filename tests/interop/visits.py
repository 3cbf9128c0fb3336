"""A visit and a plan with a printed handout, recorded as the clinic would."""

import datetime
import hashlib

from django.utils import timezone

from assessments import services
from assessments.models import HandoutPrint

from ..factories import standard_exercise, standard_test

NOW = timezone.now().replace(microsecond=0)


def slr_result(side, onset, findings, differentiation="increased", **extra):
    test = standard_test("SLR")
    steps = {step.code: step for step in test.steps.all()}
    return {
        "test": test,
        "side": side,
        "range_at_onset_deg": onset,
        "range_at_max_deg": onset + 15,
        "differentiation": differentiation,
        "findings": [{"step": steps[code], **finding} for code, finding in findings.items()],
        **extra,
    }


def record_visit(therapist, patient, *, sign=False, days_ago=7, **extra):
    results = [
        slr_result(
            "left",
            55,
            {
                "hip-flexion": {
                    "symptoms_reproduced": "partial",
                    "symptom_kinds": ["stretch"],
                    "location": "back of thigh",
                    "intensity": 3,
                },
                "ankle-dorsiflexion": {
                    "symptoms_reproduced": "full",
                    "symptom_kinds": ["pain", "pins-and-needles"],
                    "location": "calf",
                    "intensity": 6,
                },
            },
        ),
        slr_result(
            "right", 80, {"hip-flexion": {"symptoms_reproduced": "none"}}, differentiation="not_tested"
        ),
    ]
    assessment = services.create_assessment(
        therapist=therapist,
        patient=patient,
        performed_at=NOW - datetime.timedelta(days=days_ago),
        complaint="Pulling behind the left thigh after sitting",
        results=results,
        **extra,
    )
    if sign:
        assessment = services.sign_assessment(assessment, signed_by=therapist)
    return assessment


def plan_with_print(therapist, patient, assessment=None):
    plan = services.create_plan(
        therapist=therapist,
        patient=patient,
        assessment=assessment,
        goals="Sit through a work meeting",
        start_date=timezone.localdate(),
        review_date=timezone.localdate() + datetime.timedelta(days=14),
        items=[
            {
                "exercise": standard_exercise("active-hamstring-mobilization"),
                "sets": 2,
                "reps": 10,
                "hold_seconds": 5,
                "times_per_day": 3,
                "weekdays": ["mon", "tue", "thu", "fri", "sat"],
                "side": "left",
                "cues": "Keep the elbows on the thighs.",
            }
        ],
    )
    printed = HandoutPrint.objects.create(
        clinic=plan.clinic,
        plan=plan,
        printed_by=therapist,
        paper_size="letter",
        sha256=hashlib.sha256(b"the printed handout").hexdigest(),
        size_bytes=48213,
        page_count=2,
    )
    return plan, printed
