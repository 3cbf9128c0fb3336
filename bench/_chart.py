"""
One patient's chart, written the way the app writes it (``assessments.services``):
a clinic, a therapist with an API token, a patient with ``visits`` assessments a
week apart (two to four lower-limb tests on both sides, a finding for every step,
most of them signed, a few with an addendum) and, when asked, an active plan.

Shared by the benchmarks that read one patient's records; not a benchmark itself
(``run_all.py`` skips names starting with ``_``).
"""

import datetime
import random
from dataclasses import dataclass

LOCATIONS = ("back of thigh", "calf", "buttock", "lateral leg", "sole of the foot")
COMPLAINTS = (
    "Pulling behind the {side} thigh after sitting",
    "Shooting pain down the {side} leg when bending",
    "Tingling in the {side} foot at night",
)


@dataclass
class Chart:
    clinic: object
    therapist: object
    token: str
    patient: object
    assessment_ids: list
    plan: object = None


def _result(rng, test, side, affected, progress):
    steps = list(test.steps.all())
    reproduced_from = 1 + int(progress * len(steps)) if affected else len(steps) + 1
    onset = 40 + int(progress * 30) if affected else rng.randint(72, 88)
    findings = []
    for position, step in enumerate(steps, start=1):
        if position < reproduced_from:
            findings.append({"step": step, "symptoms_reproduced": "none", "symptom_kinds": []})
            continue
        level = "full" if position > reproduced_from and progress < 0.5 else "partial"
        findings.append(
            {
                "step": step,
                "symptoms_reproduced": level,
                "symptom_kinds": ["pain", "pins-and-needles"] if level == "full" else ["stretch"],
                "location": rng.choice(LOCATIONS),
                "intensity": rng.randint(2, 7),
            }
        )
    return {
        "test": test,
        "side": side,
        "range_at_onset_deg": onset,
        "range_at_max_deg": min(180, onset + rng.randint(8, 20)),
        "differentiation": "increased" if affected and reproduced_from <= len(steps) else "not_tested",
        "notes": "Guarded at end of range." if affected and rng.random() < 0.3 else "",
        "findings": findings,
    }


def create_chart(visits, *, with_plan=False, seed=0, slug="bench-clinic"):
    """Write the records and return a ``Chart``."""
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from assessments import services
    from assessments.models import Exercise, NeuroTest
    from clinic.models import Clinic, Membership, Patient, User

    rng = random.Random(seed)
    with transaction.atomic():
        clinic = Clinic.objects.create(name="Benchmark Physiotherapy", slug=slug)
        therapist = User.objects.create_user(
            f"{slug}-therapist", first_name="Ada", last_name="Lovelace", credentials="PT, DPT"
        )
        Membership.objects.create(user=therapist, clinic=clinic, role=Membership.Role.THERAPIST)
        patient = Patient.objects.create(
            clinic=clinic, chart_number="B-0001", given_name="George", family_name="Byron",
            date_of_birth=datetime.date(1978, 1, 22), sex="male",
        )  # fmt: skip
    token = Token.objects.create(user=therapist).key

    lower = list(NeuroTest.objects.standard().filter(region="lower").prefetch_related("steps"))
    tests = rng.sample(lower, 4)
    affected = rng.choice(("left", "right"))
    first = timezone.now() - datetime.timedelta(weeks=visits)
    assessment_ids = []
    for visit in range(visits):
        progress = visit / max(1, visits - 1)
        chosen = tests[: rng.randint(2, 4)]
        assessment = services.create_assessment(
            therapist=therapist,
            patient=patient,
            performed_at=first + datetime.timedelta(weeks=visit, minutes=rng.randint(0, 480)),
            complaint=rng.choice(COMPLAINTS).format(side=affected),
            notes="Symptoms easing; continue sliders." if visit else "First visit.",
            results=[
                _result(rng, test, side, side == affected, progress)
                for test in chosen
                for side in ("left", "right")
            ],
        )
        if visit < visits - 1 or rng.random() < 0.5:  # the latest visit is sometimes a draft
            assessment = services.sign_assessment(assessment, signed_by=therapist)
            if rng.random() < 0.1:
                services.add_addendum(
                    assessment, author=therapist, text="Patient called: symptoms eased overnight."
                )
        assessment_ids.append(str(assessment.pk))

    plan = None
    if with_plan:
        exercises = list(Exercise.objects.standard().active().filter(region="lower").order_by("slug")[:3])
        plan = services.create_plan(
            therapist=therapist,
            patient=patient,
            goals="Sit through a work meeting without leg pain",
            start_date=timezone.localdate(),
            review_date=timezone.localdate() + datetime.timedelta(weeks=2),
            items=[
                {"exercise": exercise, "sets": 1, "reps": 10, "times_per_day": 2, "days_per_week": 7}
                for exercise in exercises
            ],
        )
    return Chart(clinic, therapist, token, patient, assessment_ids, plan)
