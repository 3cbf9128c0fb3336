"""
Loading the standard catalogue (tests and exercises) into the database.

The data lives in ``neurotest_catalogue.py`` and ``exercise_library.py``. A data
migration calls ``load_standard_catalogue``; it updates entries in place by code and
slug, so a later migration that calls it again after the data changed brings every
database up to date without touching clinics' own entries or recorded findings.
"""

from . import exercise_library_es
from .exercise_library import EXERCISES
from .neurotest_catalogue import NEUROTESTS

# The library's text in each language beyond English, keyed by exercise slug, then
# movement slug (see ``exercise_library_es.py``).
LIBRARY_TRANSLATIONS = {"es": exercise_library_es.EXERCISES}

EXERCISE_FIELDS = (
    "name",
    "kind",
    "nerve",
    "region",
    "purpose",
    "what_to_feel",
    "precautions",
    "breathing_cue",
    "imagery_cue",
    "default_sets",
    "default_reps",
    "default_hold_seconds",
    "default_times_per_day",
    "default_days_per_week",
)


def _has_translations(model):
    """Whether ``model`` (perhaps a migration's historical model, from before the
    libraries were translated) has a ``translations`` field."""
    return any(field.name == "translations" for field in model._meta.get_fields())


def exercise_translations(slug):
    """The translations of the standard exercise ``slug``: ``{"es": {...}}``."""
    return {
        language: {name: text for name, text in library[slug].items() if name != "movements"}
        for language, library in LIBRARY_TRANSLATIONS.items()
        if slug in library
    }


def movement_translations(exercise_slug, movement_slug):
    return {
        language: library[exercise_slug]["movements"][movement_slug]
        for language, library in LIBRARY_TRANSLATIONS.items()
        if movement_slug in library.get(exercise_slug, {}).get("movements", {})
    }


def load_standard_catalogue(NeuroTest, TestStep, Exercise, ExerciseMovement):
    """Create or update every standard test and exercise. Takes the model classes so
    that migrations can pass their historical models."""
    for entry in NEUROTESTS:
        test, _ = NeuroTest.objects.update_or_create(
            clinic=None,
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "nerve_bias": entry["nerve_bias"],
                "region": entry["region"],
                "measured_joint": entry["measured_joint"],
                "description": entry["description"],
            },
        )
        wanted = [step[0] for step in entry["steps"]]
        # Orders are unique per test: park existing steps out of the way first.
        for offset, step in enumerate(TestStep.objects.filter(test=test).order_by("code")):
            step.order = 1000 + offset
            step.save(update_fields=["order"])
        for order, (code, kind, name, differentiates) in enumerate(entry["steps"], start=1):
            TestStep.objects.update_or_create(
                test=test,
                code=code,
                defaults={"order": order, "kind": kind, "name": name, "differentiates": differentiates},
            )
        stale = TestStep.objects.filter(test=test).exclude(code__in=wanted)
        # Steps already used by findings stay (at the end) so that old notes still read.
        stale.filter(findings__isnull=True).delete()

    translated = _has_translations(Exercise) and _has_translations(ExerciseMovement)
    for entry in EXERCISES:
        defaults = {field: entry[field] for field in EXERCISE_FIELDS}
        if translated:
            defaults["translations"] = exercise_translations(entry["slug"])
        exercise, _ = Exercise.objects.update_or_create(clinic=None, slug=entry["slug"], defaults=defaults)
        ExerciseMovement.objects.filter(exercise=exercise).delete()
        ExerciseMovement.objects.bulk_create(
            ExerciseMovement(
                exercise=exercise,
                order=order,
                slug=movement["slug"],
                title=movement["title"],
                steps=movement["steps"],
                illustration=movement["illustration"],
                illustration_alt=movement["illustration_alt"],
                **(
                    {"translations": movement_translations(entry["slug"], movement["slug"])}
                    if translated
                    else {}
                ),
            )
            for order, movement in enumerate(entry["movements"], start=1)
        )
