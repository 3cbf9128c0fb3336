"""
How much one request may ask Glide to print.

A handout's render time grows with its pages, and its pages with the plan's
exercises and the text printed for each (the exercise's texts, the steps of its
movements with a drawing each, the therapist's cues) plus the plan's goals. So the
size of a plan is bounded where plans are written, and checked again before any
render (an exercise of the clinic's library may have grown since):

- a plan holds at most ``GLIDE_MAX_PLAN_ITEMS`` exercises (12 by default: a home
  programme a patient can follow holds a handful);
- each text has a maximum length on its model field, and an exercise at most
  ``MAX_MOVEMENTS`` movements of at most ``MAX_STEPS_PER_MOVEMENT`` steps;
- the text a handout prints is at most ``GLIDE_HANDOUT_MAX_CHARACTERS``, which keeps
  the largest handout to about forty pages and a render to seconds, not minutes.
"""

from django.conf import settings

from .models import ExerciseMovement

MAX_MOVEMENTS = 6
MAX_STEPS_PER_MOVEMENT = 12
EXERCISE_TEXT_FIELDS = ("name", "purpose", "what_to_feel", "precautions", "breathing_cue", "imagery_cue")


def printed_characters(goals, items):
    """The characters a handout prints for a plan with ``goals`` and ``items``, each
    item a mapping or object with an ``exercise`` and its ``cues``. One query for
    the movements of all the exercises."""
    items = [
        item if isinstance(item, dict) else {"exercise": item.exercise, "cues": item.cues} for item in items
    ]
    exercises = {item["exercise"].pk: item["exercise"] for item in items}
    movement_characters = dict.fromkeys(exercises, 0)
    movements = ExerciseMovement.objects.filter(exercise__in=exercises).values_list(
        "exercise_id", "title", "steps", "illustration_alt"
    )
    for exercise_id, title, steps, alt in movements:
        movement_characters[exercise_id] += (
            len(title) + len(alt) + sum(len(str(step)) for step in steps or ())
        )
    total = len(goals or "")
    for item in items:
        exercise = item["exercise"]
        total += sum(len(getattr(exercise, name) or "") for name in EXERCISE_TEXT_FIELDS)
        total += movement_characters[exercise.pk] + len(item.get("cues") or "")
    return total


def plan_size_errors(goals, items):
    """``{field: message}`` for a plan too large to print, else ``{}``."""
    items = list(items)
    most_items = settings.GLIDE_MAX_PLAN_ITEMS
    if len(items) > most_items:
        return {"items": f"A plan holds at most {most_items} exercises; this one has {len(items)}."}
    most_characters = settings.GLIDE_HANDOUT_MAX_CHARACTERS
    characters = printed_characters(goals, items)
    if characters > most_characters:
        return {
            "items": f"The handout of this plan would print {characters} characters; the most is "
            f"{most_characters}. Shorten the cues or goals, or split the exercises into two plans."
        }
    return {}
