"""The standard catalogue ships as data and holds together."""

import os

import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.catalogue import load_standard_catalogue
from assessments.models import Exercise, ExerciseMovement, NeuroTest, TestStep

REFERENCE_CODES = {
    "SLR", "SLR-TIB", "SLR-PER", "SLR-SUR", "SLUMP", "PKB", "SL-SLUMP", "PNF",
    "ULNT1", "ULNT2A", "ULNT2B", "ULNT3",
}  # fmt: skip
NERVES_WITH_GLIDES = {"sciatic", "tibial", "femoral", "median", "ulnar", "radial"}

pytestmark = pytest.mark.django_db


def test_every_reference_test_is_loaded_by_migrate():
    assert set(NeuroTest.objects.standard().values_list("code", flat=True)) == REFERENCE_CODES


def test_every_test_has_its_steps_in_order_and_a_measured_joint():
    for test in NeuroTest.objects.standard().prefetch_related("steps"):
        orders = [step.order for step in test.steps.all()]
        assert orders == list(range(1, len(orders) + 1)), test.code
        assert test.steps.filter(kind=TestStep.Kind.BASE).exists(), test.code
        assert test.measured_joint, test.code


def test_every_test_has_a_differentiation_step():
    for test in NeuroTest.objects.standard():
        assert test.steps.filter(kind=TestStep.Kind.DIFFERENTIATION).exists(), test.code


def test_the_slr_applies_its_steps_in_the_reference_order():
    codes = list(NeuroTest.objects.standard().get(code="SLR").steps.values_list("code", flat=True))
    assert codes == [
        "hip-flexion",
        "ankle-dorsiflexion",
        "hip-adduction",
        "hip-internal-rotation",
        "neck-flexion",
    ]


def test_the_library_starts_with_the_active_hamstring_mobilization():
    exercise = Exercise.objects.standard().get(slug="active-hamstring-mobilization")
    assert exercise.movements.count() == 2
    assert exercise.default_reps == 10
    assert exercise.breathing_cue and exercise.imagery_cue


def test_the_library_has_sliders_and_tensioners_for_each_nerve():
    exercises = Exercise.objects.standard()
    assert set(exercises.values_list("nerve", flat=True)) >= NERVES_WITH_GLIDES
    assert {"slider", "tensioner"} <= set(exercises.values_list("kind", flat=True))
    assert exercises.count() >= 7


def test_every_exercise_has_movements_steps_a_dose_and_precautions():
    for exercise in Exercise.objects.standard().prefetch_related("movements"):
        assert exercise.movements.exists(), exercise.slug
        assert exercise.default_reps >= 1 and exercise.default_times_per_day >= 1, exercise.slug
        assert exercise.precautions.strip(), exercise.slug
        for movement in exercise.movements.all():
            assert movement.steps and all(step.strip() for step in movement.steps), movement


def test_every_movement_has_its_drawing_on_disk():
    static_dir = settings.BASE_DIR / "assessments" / "static"
    for movement in ExerciseMovement.objects.filter(exercise__clinic__isnull=True):
        assert movement.illustration.endswith(".svg"), movement
        assert os.path.exists(static_dir / movement.illustration), movement.illustration


def test_loading_the_catalogue_again_changes_nothing():
    before = (NeuroTest.objects.count(), TestStep.objects.count(), Exercise.objects.count())
    load_standard_catalogue(NeuroTest, TestStep, Exercise, ExerciseMovement)
    assert (NeuroTest.objects.count(), TestStep.objects.count(), Exercise.objects.count()) == before


def test_a_clinic_can_add_its_own_test(clinic):
    own = NeuroTest.objects.create(
        clinic=clinic, code="ULNT1-MOD", name="Modified ULNT1", nerve_bias="median", region="upper",
        measured_joint="elbow extension",
    )  # fmt: skip
    assert own in NeuroTest.objects.for_clinic(clinic)
    assert not own.is_standard


def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
