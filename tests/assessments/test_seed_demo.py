"""The demo data is believable and seeding twice adds nothing."""

import pytest
from django.core.management import call_command

from assessments.models import Assessment, Plan, StepFinding, TestResult
from clinic.models import Clinic, Patient, User

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Clinic, User, Patient, Assessment, TestResult, StepFinding, Plan)
    }


def test_seed_demo_twice_leaves_the_same_counts():
    call_command("seed_demo", quiet_login=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", quiet_login=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert first["Clinic"] == 2 and first["User"] == 3 and first["Patient"] == 25
    assert first["Plan"] >= 15


def test_seeded_ranges_improve_over_visits():
    call_command("seed_demo", quiet_login=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    improved = 0
    for patient in Patient.objects.all():
        onsets = list(
            TestResult.objects.filter(assessment__patient=patient, test__code__in=["SLR", "ULNT1"])
            .order_by("assessment__performed_at")
            .values_list("side", "range_at_onset_deg")
        )
        by_side = {}
        for side, onset in onsets:
            by_side.setdefault(side, []).append(onset)
        worst_first = min(by_side.values(), key=lambda series: series[0])
        assert 2 <= len(worst_first) <= 5
        improved += worst_first[-1] > worst_first[0]
    assert improved >= 20


def test_the_demo_login_works(client):
    call_command("seed_demo", quiet_login=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert client.login(username="demo", password="glide-demo-2026")
