"""A nested write that fails halfway leaves nothing behind: the assessment, its
results and its findings are written in one transaction, and so is a plan with its
exercises. The failure is forced at the last step, after the first rows went in."""

import pytest
from django.db import OperationalError

from assessments import services
from assessments.models import Assessment, Plan, PlanItem, StepFinding, TestResult

from ..factories import standard_exercise, standard_test

pytestmark = pytest.mark.django_db


def slr_results(intensity=6):
    slr = standard_test("SLR")
    step = {s.code: s for s in slr.steps.all()}
    return [
        {
            "test": slr,
            "side": "left",
            "range_at_onset_deg": 55,
            "differentiation": "increased",
            "findings": [
                {"step": step["hip-flexion"], "symptoms_reproduced": "partial", "intensity": 3},
                {"step": step["ankle-dorsiflexion"], "symptoms_reproduced": "full", "intensity": intensity},
            ],
        }
    ]


@pytest.fixture
def connection_lost_at(monkeypatch):
    def break_(manager, method="bulk_create"):
        def lose_the_connection(*args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(manager, method, lose_the_connection)

    return break_


def counts():
    return (Assessment.objects.count(), TestResult.objects.count(), StepFinding.objects.count())


def test_an_assessment_interrupted_before_its_findings_leaves_no_rows(patient, therapist, connection_lost_at):
    connection_lost_at(StepFinding.objects)
    with pytest.raises(OperationalError):
        services.create_assessment(therapist=therapist, patient=patient, results=slr_results())
    assert counts() == (0, 0, 0)


def test_an_edit_interrupted_halfway_keeps_the_draft_as_it_was(patient, therapist, connection_lost_at):
    draft = services.create_assessment(therapist=therapist, patient=patient, results=slr_results(intensity=6))
    before = counts()

    connection_lost_at(StepFinding.objects)
    with pytest.raises(OperationalError):
        services.update_assessment(
            draft, expected_version=1, complaint="Changed", results=slr_results(intensity=2)
        )

    draft.refresh_from_db()
    assert (draft.version, draft.complaint) == (1, "")
    assert counts() == before
    assert sorted(StepFinding.objects.values_list("intensity", flat=True)) == [3, 6]


def test_a_plan_interrupted_before_its_exercises_leaves_no_rows(patient, therapist, connection_lost_at):
    connection_lost_at(PlanItem.objects)
    with pytest.raises(OperationalError):
        services.create_plan(
            therapist=therapist,
            patient=patient,
            goals="Sit through a meeting",
            items=[{"exercise": standard_exercise("active-hamstring-mobilization"), "sets": 1, "reps": 10}],
        )
    assert (Plan.objects.count(), PlanItem.objects.count()) == (0, 0)
