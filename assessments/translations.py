"""
The exercise library in the patient's language.

English is the library's own language: every exercise has its text in its fields
(``name``, ``purpose``, the movements' ``steps``...). Other languages live beside it,
in the ``translations`` of the exercise and of each movement::

    exercise.translations == {"es": {"name": "...", "purpose": "...", ...}}
    movement.translations == {"es": {"title": "...", "steps": ["...", ...], ...}}

A clinic's own exercise may be translated only in part. What has no translation is
printed in English, and ``ExerciseText.fell_back`` names it, so the handout can say so
and the plan builder can warn before printing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

SOURCE_LANGUAGE = "en"
EXERCISE_TEXT_FIELDS = ("name", "purpose", "what_to_feel", "precautions", "breathing_cue", "imagery_cue")
MOVEMENT_TEXT_FIELDS = ("title", "steps", "illustration_alt")


def translated_languages():
    """The languages other than English that patients may read, e.g. ``["es"]``."""
    return [code for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def supported_language(code):
    """The supported language a code such as ``"es-MX"`` or ``"ES"`` asks for, or
    ``None`` when Glide does not speak it."""
    if not code or not isinstance(code, str):
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower().replace("_", "-"))
    except LookupError:
        return None


def _translated_text(obj, name, language):
    """``(text, fell_back)``: the text of field ``name`` in ``language``, or the
    English one when it has no translation there."""
    english = getattr(obj, name)
    if language == SOURCE_LANGUAGE or not english:
        return english, False
    value = ((obj.translations or {}).get(language) or {}).get(name)
    if value:
        return value, False
    return english, True


class _Languages:
    @property
    def lang(self):
        """``{field: language code}``, English where the text fell back to it: the
        ``lang`` attributes that let a screen reader speak each text right."""
        return {
            name: SOURCE_LANGUAGE if name in self.fell_back else self.language for name in self.text_fields
        }


@dataclass
class MovementText(_Languages):
    movement: object
    language: str
    title: str
    steps: list
    illustration_alt: str
    fell_back: list = field(default_factory=list)
    text_fields = MOVEMENT_TEXT_FIELDS


@dataclass
class ExerciseText(_Languages):
    """What a patient reads of one exercise, in one language."""

    exercise: object
    language: str
    name: str
    purpose: str
    what_to_feel: str
    precautions: str
    breathing_cue: str
    imagery_cue: str
    movements: list
    fell_back: list = field(default_factory=list)
    text_fields = EXERCISE_TEXT_FIELDS

    @property
    def is_complete(self):
        return not self.fell_back and not any(movement.fell_back for movement in self.movements)


def movement_text(movement, language):
    texts, fell_back = {}, []
    for name in MOVEMENT_TEXT_FIELDS:
        texts[name], missing = _translated_text(movement, name, language)
        if missing:
            fell_back.append(name)
    return MovementText(movement=movement, language=language, fell_back=fell_back, **texts)


def exercise_text(exercise, language):
    """The exercise as a patient reading ``language`` sees it (movements included,
    from ``exercise.movements.all()`` so a prefetch serves them)."""
    texts, fell_back = {}, []
    for name in EXERCISE_TEXT_FIELDS:
        texts[name], missing = _translated_text(exercise, name, language)
        if missing:
            fell_back.append(name)
    movements = [movement_text(movement, language) for movement in exercise.movements.all()]
    return ExerciseText(
        exercise=exercise, language=language, movements=movements, fell_back=fell_back, **texts
    )


def untranslated_exercises(exercises, language):
    """The exercises among ``exercises`` that would print partly in English."""
    if language == SOURCE_LANGUAGE:
        return []
    return [exercise for exercise in exercises if not exercise_text(exercise, language).is_complete]


# --- Validation (the model fields, the admin and the API share it) ----------------


def _check_translations(value, allowed_fields, list_fields=()):
    if not isinstance(value, dict):
        raise ValidationError("Give the translations as an object keyed by language code.", code="invalid")
    languages = translated_languages()
    for language, texts in value.items():
        if language not in languages:
            raise ValidationError(
                "%(language)s is not a language patients can read; choose one of: %(languages)s.",
                code="invalid_language",
                params={"language": repr(language), "languages": ", ".join(languages)},
            )
        if not isinstance(texts, dict):
            raise ValidationError("Each language holds an object of texts.", code="invalid")
        for name, text in texts.items():
            if name not in allowed_fields:
                raise ValidationError(
                    "%(field)s cannot be translated; these can: %(fields)s.",
                    code="invalid_field",
                    params={"field": repr(name), "fields": ", ".join(allowed_fields)},
                )
            if name in list_fields:
                if not isinstance(text, list) or not all(isinstance(item, str) for item in text):
                    raise ValidationError(
                        "%(field)s is a list of texts.", code="invalid", params={"field": name}
                    )
            elif not isinstance(text, str):
                raise ValidationError("%(field)s is a text.", code="invalid", params={"field": name})


def validate_exercise_translations(value):
    _check_translations(value, EXERCISE_TEXT_FIELDS)


def validate_movement_translations(value):
    _check_translations(value, MOVEMENT_TEXT_FIELDS, list_fields=("steps",))
