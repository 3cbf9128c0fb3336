import datetime

import pytest
from django.utils import timezone

from ..factories import PatientLinkFactory, PlanFactory, PlanItemFactory, standard_exercise


@pytest.fixture
def plan(patient, therapist):
    """Ada's plan of two exercises, started a week ago."""
    plan = PlanFactory(
        patient=patient,
        therapist=therapist,
        start_date=timezone.localdate() - datetime.timedelta(days=7),
        review_date=timezone.localdate() + datetime.timedelta(days=14),
    )
    PlanItemFactory(plan=plan, order=1, times_per_day=2, days_per_week=7)
    PlanItemFactory(
        plan=plan, order=2, exercise=standard_exercise("sciatic-seated-slump-slider"), times_per_day=1
    )
    return plan


@pytest.fixture
def link(plan):
    return PatientLinkFactory(plan=plan)


def link_headers(link, year=1985):
    return {"HTTP_AUTHORIZATION": f"PatientLink {link.secret}", "HTTP_X_BIRTH_YEAR": str(year)}


def session_payload(plan, **changes):
    items = [{"exercise": str(item.pk), "done": "yes"} for item in plan.items.all()]
    return {
        "date": timezone.localdate().isoformat(),
        "items": items,
        "pain": 3,
        "an_hour_later": "same",
        "note": "Felt a gentle pull.",
        **changes,
    }
