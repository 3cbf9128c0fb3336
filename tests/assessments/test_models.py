"""The clinical rules hold on every path: model saves, querysets and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from assessments import services
from assessments.models import Addendum, Assessment, Plan, PlanItem, StepFinding, TestResult
from clinic.models import ProtectedRecordError

from ..factories import (
    AssessmentFactory,
    PatientFactory,
    PlanFactory,
    StepFindingFactory,
    TestResultFactory,
    UserFactory,
    standard_exercise,
    standard_test,
)

pytestmark = pytest.mark.django_db


def slr_step(code):
    return standard_test("SLR").steps.get(code=code)


def a_signed_assessment():
    finding = StepFindingFactory()
    assessment = finding.result.assessment
    return services.sign_assessment(assessment, signed_by=assessment.therapist)


def test_records_are_exposed_by_uuid_not_a_sequential_id():
    assessment = AssessmentFactory()
    assert len(str(assessment.pk)) == 36


@pytest.mark.parametrize("intensity", [-1, 11])
def test_intensity_outside_0_to_10_is_refused_by_the_database(intensity):
    finding = StepFindingFactory.build(result=TestResultFactory(), intensity=intensity)
    finding.step = slr_step("hip-flexion")
    with pytest.raises(IntegrityError), transaction.atomic():
        finding.save()


@pytest.mark.parametrize("angle", [-5, 181])
def test_angles_outside_0_to_180_are_refused_by_the_database(angle):
    with pytest.raises(IntegrityError), transaction.atomic():
        TestResultFactory(range_at_onset_deg=angle, range_at_max_deg=None)


def test_p2_below_p1_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        TestResultFactory(range_at_onset_deg=60, range_at_max_deg=50)


def test_p2_below_p1_is_a_validation_error_beside_the_field():
    result = TestResultFactory.build(range_at_onset_deg=60, range_at_max_deg=50)
    with pytest.raises(ValidationError) as error:
        result.clean()
    assert "range_at_max_deg" in error.value.message_dict


def test_one_result_per_test_and_side_in_an_assessment():
    result = TestResultFactory(side="left")
    with pytest.raises(IntegrityError), transaction.atomic():
        TestResultFactory(assessment=result.assessment, test=result.test, side="left")


def test_an_override_needs_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        TestResultFactory(interpretation_override="positive", override_reason="")


def test_a_finding_with_a_step_of_another_test_is_refused_by_save():
    result = TestResultFactory(test=standard_test("SLR"))
    ulnt_step = standard_test("ULNT1").steps.first()
    with pytest.raises(ValidationError):
        StepFinding(result=result, step=ulnt_step).save()


def test_a_finding_with_a_step_of_another_test_is_refused_by_the_database():
    result = TestResultFactory(test=standard_test("SLR"))
    ulnt_step = standard_test("ULNT1").steps.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFinding.objects.bulk_create([StepFinding(result=result, step=ulnt_step)])


def test_saving_a_result_computes_its_interpretation():
    result = TestResultFactory(differentiation="increased")
    StepFindingFactory(result=result, step=slr_step("ankle-dorsiflexion"), symptoms_reproduced="full")
    result.save()
    assert result.interpretation == "positive"


def test_a_signed_assessment_cannot_be_saved():
    assessment = a_signed_assessment()
    assessment.complaint = "changed"
    with pytest.raises(ProtectedRecordError):
        assessment.save()


def test_a_signed_assessment_cannot_be_saved_from_a_fresh_instance():
    assessment = Assessment.objects.get(pk=a_signed_assessment().pk)
    assessment.notes = "changed"
    with pytest.raises(ProtectedRecordError):
        assessment.save()


def test_a_signed_assessment_cannot_be_updated_in_bulk():
    assessment = a_signed_assessment()
    with pytest.raises(ProtectedRecordError):
        Assessment.objects.filter(pk=assessment.pk).update(notes="changed")


def test_a_signed_assessment_cannot_be_deleted():
    assessment = a_signed_assessment()
    with pytest.raises(ProtectedRecordError):
        assessment.delete()
    with pytest.raises(ProtectedRecordError):
        Assessment.objects.filter(pk=assessment.pk).delete()


def test_results_of_a_signed_assessment_cannot_change():
    assessment = a_signed_assessment()
    result = assessment.results.get()
    result.range_at_onset_deg = 10
    with pytest.raises(ProtectedRecordError):
        result.save()
    with pytest.raises(ProtectedRecordError):
        TestResult.objects.filter(assessment=assessment).update(notes="changed")
    with pytest.raises(ProtectedRecordError):
        result.delete()


def test_findings_of_a_signed_assessment_cannot_change():
    assessment = a_signed_assessment()
    finding = StepFinding.objects.get(result__assessment=assessment)
    finding.intensity = 0
    with pytest.raises(ProtectedRecordError):
        finding.save()
    with pytest.raises(ProtectedRecordError):
        StepFinding.objects.filter(pk=finding.pk).update(intensity=0)
    with pytest.raises(ProtectedRecordError):
        StepFinding.objects.filter(pk=finding.pk).delete()


def test_a_signed_assessment_takes_addenda():
    assessment = a_signed_assessment()
    addendum = services.add_addendum(assessment, author=assessment.therapist, text="Patient called: better.")
    assert list(assessment.addenda.all()) == [addendum]


def test_an_addendum_cannot_be_edited_or_deleted():
    assessment = a_signed_assessment()
    addendum = services.add_addendum(assessment, author=assessment.therapist, text="Called back.")
    addendum.text = "changed"
    with pytest.raises(ProtectedRecordError):
        addendum.save()
    with pytest.raises(ProtectedRecordError):
        addendum.delete()


def test_a_draft_takes_no_addendum():
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError):
        Addendum.objects.create(assessment=assessment, author=assessment.therapist, text="Too early")


def test_signing_needs_a_signer_in_the_database():
    assessment = AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(status="signed")


def test_a_plan_review_date_cannot_come_before_its_start():
    plan = PlanFactory.build(patient=PatientFactory(), therapist=UserFactory())
    plan.clinic = plan.patient.clinic
    plan.review_date = plan.start_date.replace(year=plan.start_date.year - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


OUT_OF_BOUNDS_DOSES = [
    ("sets", 0), ("sets", 11), ("reps", 0), ("reps", 101), ("hold_seconds", 301),
    ("times_per_day", 0), ("times_per_day", 11), ("days_per_week", 0), ("days_per_week", 8),
    ("side", "up"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value"), OUT_OF_BOUNDS_DOSES)
def test_a_plan_items_dose_out_of_bounds_is_refused_without_asking_the_database(
    field, value, django_assert_num_queries
):
    item = PlanItem(plan=PlanFactory(), exercise=standard_exercise("tibial-slider"), **{field: value})

    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        item.full_clean(exclude=["plan", "exercise"], validate_unique=False)

    assert list(refused.value.message_dict) == [field]


def test_every_check_constraint_of_a_plan_item_is_a_bound_its_fields_check_too():
    checks = PlanItem._meta.constraints
    constrained = {name for check in checks for name in check.condition.referenced_base_fields}

    assert constrained == {field for field, _ in OUT_OF_BOUNDS_DOSES}


def test_plans_are_never_deleted():
    plan = PlanFactory()
    with pytest.raises(ProtectedRecordError):
        plan.delete()
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_editable_records_carry_a_version_and_timestamps():
    for record in (AssessmentFactory(), PlanFactory()):
        assert record.version == 1
        assert record.created_at and record.updated_at


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite trigger test")
def test_the_sqlite_trigger_guards_raw_inserts():
    result = TestResultFactory(test=standard_test("SLR"))
    ulnt_step = standard_test("ULNT1").steps.first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO assessments_stepfinding (id, created_at, updated_at, result_id, step_id,"
            " symptoms_reproduced, symptom_kinds, location) VALUES (%s, %s, %s, %s, %s, 'none', '[]', '')",
            ["0" * 32, "2026-01-01", "2026-01-01", result.pk.hex, ulnt_step.pk],
        )
