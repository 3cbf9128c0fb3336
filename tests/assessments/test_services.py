"""Assessments and plans are written whole, in one transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from assessments import services
from assessments.models import Assessment, Plan, StepFinding, TestResult

from ..factories import ExerciseFactory, PatientFactory, standard_exercise, standard_test

pytestmark = pytest.mark.django_db


def slr_results():
    slr = standard_test("SLR")
    step = {s.code: s for s in slr.steps.all()}
    return [
        {
            "test": slr, "side": "left", "range_at_onset_deg": 55, "range_at_max_deg": 70,
            "differentiation": "increased",
            "findings": [
                {"step": step["hip-flexion"], "symptoms_reproduced": "partial", "symptom_kinds": ["stretch"],
                 "location": "back of thigh", "intensity": 3},
                {"step": step["ankle-dorsiflexion"], "symptoms_reproduced": "full",
                 "symptom_kinds": ["pain", "pins-and-needles"], "location": "back of thigh", "intensity": 6},
            ],
        },
        {
            "test": slr, "side": "right", "range_at_onset_deg": 80, "differentiation": "unchanged",
            "findings": [{"step": step["hip-flexion"], "symptoms_reproduced": "none"}],
        },
    ]  # fmt: skip


def test_an_assessment_is_written_with_its_results_and_findings(patient, therapist):
    assessment = services.create_assessment(therapist=therapist, patient=patient, results=slr_results())
    readings = dict(assessment.results.values_list("side", "interpretation"))
    assert readings == {"left": "positive", "right": "negative"}
    assert StepFinding.objects.filter(result__assessment=assessment).count() == 3
    assert assessment.clinic == patient.clinic


def test_a_step_of_another_test_writes_nothing(patient, therapist):
    results = slr_results()
    results[0]["findings"][1]["step"] = standard_test("ULNT1").steps.first()
    with pytest.raises(ValidationError) as error:
        services.create_assessment(therapist=therapist, patient=patient, results=results)
    assert "results.0.findings.1.step" in error.value.message_dict
    assert not Assessment.objects.exists()


def test_a_duplicate_test_and_side_writes_nothing(patient, therapist):
    results = slr_results()
    results[1]["side"] = "left"
    with pytest.raises(ValidationError) as error:
        services.create_assessment(therapist=therapist, patient=patient, results=results)
    assert "results.1.side" in error.value.message_dict
    assert not TestResult.objects.exists()


@override_settings(GLIDE_MAX_FINDINGS_PER_ASSESSMENT=2)
def test_too_many_findings_write_nothing(patient, therapist):
    with pytest.raises(ValidationError):
        services.create_assessment(therapist=therapist, patient=patient, results=slr_results())
    assert not Assessment.objects.exists()


def test_another_clinics_test_cannot_be_used(patient, therapist, other_clinic):
    from assessments.models import NeuroTest

    foreign = NeuroTest.objects.create(
        clinic=other_clinic, code="X1", name="X", nerve_bias="median", region="upper", measured_joint="elbow"
    )
    results = [{"test": foreign, "side": "left", "findings": []}]
    with pytest.raises(ValidationError) as error:
        services.create_assessment(therapist=therapist, patient=patient, results=results)
    assert "results.0.test" in error.value.message_dict


def test_updating_a_draft_replaces_its_results_and_bumps_the_version(patient, therapist):
    assessment = services.create_assessment(therapist=therapist, patient=patient, results=slr_results())
    updated = services.update_assessment(
        assessment, expected_version=1, complaint="Better", results=slr_results()[:1]
    )
    assert updated.version == 2
    assert updated.results.count() == 1


def test_a_stale_version_changes_nothing(patient, therapist):
    assessment = services.create_assessment(therapist=therapist, patient=patient, results=slr_results())
    with pytest.raises(services.StaleVersionError):
        services.update_assessment(assessment, expected_version=7, complaint="Lost update")
    assessment.refresh_from_db()
    assert assessment.complaint == "" and assessment.version == 1


def test_a_signed_assessment_refuses_updates(patient, therapist):
    assessment = services.create_assessment(therapist=therapist, patient=patient, results=slr_results())
    services.sign_assessment(assessment, signed_by=therapist)
    with pytest.raises(services.AlreadySignedError):
        services.update_assessment(assessment, complaint="changed")
    with pytest.raises(services.AlreadySignedError):
        services.sign_assessment(assessment, signed_by=therapist)


def test_a_plan_is_written_with_its_items_in_order(patient, therapist):
    plan = services.create_plan(
        therapist=therapist,
        patient=patient,
        goals="Sit through a meeting",
        items=[
            {"exercise": standard_exercise("active-hamstring-mobilization"), "reps": 10, "side": "both"},
            {"exercise": standard_exercise("median-nerve-slider"), "reps": 8, "side": "left"},
        ],
    )
    assert [item.exercise.slug for item in plan.items.order_by("order")] == [
        "active-hamstring-mobilization",
        "median-nerve-slider",
    ]


def test_a_plan_with_another_clinics_exercise_writes_nothing(patient, therapist, other_clinic):
    foreign = ExerciseFactory(clinic=other_clinic)
    with pytest.raises(ValidationError) as error:
        services.create_plan(therapist=therapist, patient=patient, items=[{"exercise": foreign}])
    assert "items.0.exercise" in error.value.message_dict
    assert not Plan.objects.exists()


def test_a_plan_cannot_cite_another_patients_assessment(patient, therapist):
    assessment = services.create_assessment(
        therapist=therapist, patient=PatientFactory(clinic=patient.clinic), results=[]
    )
    with pytest.raises(ValidationError):
        services.create_plan(therapist=therapist, patient=patient, assessment=assessment, items=[])
