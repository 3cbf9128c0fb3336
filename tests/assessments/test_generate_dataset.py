"""``manage.py generate_dataset`` fills the database in bulk with records shaped like
those the app writes, within every rule the database enforces."""

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import interpretation
from assessments.models import Assessment, Plan, PlanItem, StepFinding, TestResult, TestStep
from clinic.models import Clinic, Membership, Patient

pytestmark = pytest.mark.django_db


def generate(patients, **options):
    call_command("generate_dataset", patients=patients, stdout=io.StringIO(), **options)


def test_each_patient_has_three_to_eight_visits():
    generate(15, clinics=2)
    visits = Counter(Assessment.objects.values_list("patient_id", flat=True))
    assert Patient.objects.count() == 15
    assert set(visits) == set(Patient.objects.values_list("pk", flat=True))
    assert all(3 <= count <= 8 for count in visits.values())


def test_each_visit_tests_two_to_four_tests_on_both_sides():
    generate(10)
    sides = defaultdict(lambda: defaultdict(set))
    for assessment_id, test_id, side in TestResult.objects.values_list("assessment_id", "test_id", "side"):
        sides[assessment_id][test_id].add(side)
    assert len(sides) == Assessment.objects.count()
    for tests in sides.values():
        assert 2 <= len(tests) <= 4
        assert all(test_sides == {"left", "right"} for test_sides in tests.values())


def test_every_result_has_one_finding_per_step_of_its_test():
    generate(8)
    steps_of = defaultdict(set)
    for test_id, step_id in TestStep.objects.values_list("test_id", "pk"):
        steps_of[test_id].add(step_id)
    found = defaultdict(list)
    for result_id, step_id in StepFinding.objects.values_list("result_id", "step_id"):
        found[result_id].append(step_id)
    for result_id, test_id in TestResult.objects.values_list("pk", "test_id"):
        assert sorted(found[result_id]) == sorted(steps_of[test_id])


def test_interpretations_follow_the_clinical_rule():
    generate(10)
    levels = defaultdict(list)
    for result_id, level in StepFinding.objects.values_list("result_id", "symptoms_reproduced"):
        levels[result_id].append(level)
    readings = Counter()
    for result in TestResult.objects.all():
        assert result.interpretation == interpretation.interpret(levels[result.pk], result.differentiation)
        readings[result.interpretation] += 1
    assert readings["positive"] and readings["negative"]


def test_most_visits_are_signed_and_only_a_latest_visit_stays_a_draft():
    generate(20)
    assert Assessment.objects.signed().count() > 0.8 * Assessment.objects.count()
    for draft in Assessment.objects.drafts():
        later = Assessment.objects.filter(patient_id=draft.patient_id, performed_at__gt=draft.performed_at)
        assert not later.exists()
    for signed in Assessment.objects.signed():
        assert signed.signed_by_id == signed.therapist_id
        assert signed.signed_at > signed.performed_at


def test_most_patients_have_a_plan_with_two_or_three_exercises_from_their_first_visit():
    generate(20)
    plans = list(Plan.objects.select_related("assessment"))
    assert len(plans) >= 10
    items = Counter(PlanItem.objects.values_list("plan_id", flat=True))
    for plan in plans:
        assert 2 <= items[plan.pk] <= 3
        assert plan.assessment.patient_id == plan.patient_id
        assert plan.start_date == plan.assessment.performed_at.date()
        assert plan.review_date > plan.start_date


def test_every_record_stays_in_its_patients_clinic_with_its_members():
    generate(12, clinics=3)
    assert Clinic.objects.filter(slug__startswith="generated-").count() == 3
    clinic_of = dict(Patient.objects.values_list("pk", "clinic_id"))
    assert len(set(clinic_of.values())) == 3
    members = set(Membership.objects.values_list("clinic_id", "user_id"))
    for assessment in Assessment.objects.all():
        assert assessment.clinic_id == clinic_of[assessment.patient_id]
        assert (assessment.clinic_id, assessment.therapist_id) in members
    for plan in Plan.objects.all():
        assert plan.clinic_id == clinic_of[plan.patient_id]
        assert (plan.clinic_id, plan.therapist_id) in members


def test_the_number_of_queries_does_not_grow_with_the_patients():
    with CaptureQueriesContext(connection) as few:
        generate(5)
    with CaptureQueriesContext(connection) as more:
        generate(20)
    assert Patient.objects.count() == 25
    assert len(more.captured_queries) == len(few.captured_queries)


def test_batches_split_the_patients_without_losing_any():
    generate(10, batch=3)
    assert Patient.objects.count() == 10
    assert sorted(Patient.objects.values_list("chart_number", flat=True)) == [
        f"G-{number:07d}" for number in range(1, 11)
    ]
    assert not Patient.objects.filter(assessments__isnull=True).exists()


def test_a_second_run_adds_new_clinics_beside_the_first():
    generate(4)
    generate(4)
    assert sorted(Clinic.objects.values_list("slug", flat=True)) == ["generated-1", "generated-2"]
    assert Patient.objects.count() == 8


def test_the_same_seed_gives_the_same_people_and_visits():
    generate(6, seed=7)
    generate(6, seed=7)
    first, second = (
        [
            (patient.chart_number, patient.given_name, patient.family_name, patient.assessments.count())
            for patient in Patient.objects.filter(clinic__slug=slug).order_by("chart_number")
        ]
        for slug in ("generated-1", "generated-2")
    )
    assert first == second


@pytest.mark.skipif(connection.vendor == "postgresql", reason="parallel workers are for PostgreSQL")
def test_parallel_workers_are_refused_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        generate(4, workers=2)
