"""The handout in the patient's language: chosen by the patient's preferred language
or by the print, Spanish complete, read back from real PDFs with ``pdftotext``."""

import re
import subprocess

import pytest
from django.utils import timezone

from assessments import handouts
from assessments.exercise_library import EXERCISES
from assessments.handouts import render_plan_handout
from assessments.models import Exercise, ExerciseMovement, HandoutPrint, PlanItem
from clinic.models import AuditEvent

from ..factories import PlanFactory, standard_exercise
from ..readability import fernandez_huerta
from .test_handouts import pdf_text

# Words that are English and not Spanish: one of them in a Spanish handout means a
# sentence, a heading or a label was left in English.
ENGLISH_WORDS = {
    "the", "you", "your", "and", "with", "for", "this", "that", "is", "are", "do", "does", "not",
    "if", "of", "to", "it", "when", "how", "what", "why", "day", "days", "time", "times", "set",
    "sets", "hold", "stop", "call", "us", "page", "exercise", "exercises", "leg", "legs", "arm",
    "arms", "side", "both", "each", "every", "right", "left", "slowly", "pain", "feel", "home",
    "date", "tick", "bring", "next", "visit", "breathe", "breathing", "picture", "from", "at",
    "or", "in", "on", "up", "down", "back", "knee", "foot", "head", "phone", "goal", "log",
    "week", "once", "twice", "seconds", "nerve", "slider", "tensioner", "glide", "ask", "desk",
}  # fmt: skip


@pytest.fixture
def spanish_patient(patient):
    patient.given_name, patient.family_name, patient.preferred_language = "Lucía", "Márquez", "es"
    patient.save()
    return patient


@pytest.fixture
def whole_library_plan(spanish_patient, therapist):
    """A plan with every exercise of the standard library, for a patient who reads Spanish."""
    therapist.first_name, therapist.last_name = "Marta", "Ríos"
    therapist.save()
    plan = PlanFactory(
        patient=spanish_patient,
        therapist=therapist,
        goals="Poder sentarme en una reunión de trabajo",
        review_date=timezone.localdate() + timezone.timedelta(days=14),
    )
    for order, entry in enumerate(EXERCISES):
        PlanItem.objects.create(
            plan=plan,
            exercise=standard_exercise(entry["slug"]),
            order=order,
            sets=1 + order % 2,
            reps=10,
            hold_seconds=5 if order % 3 == 0 else 0,
            times_per_day=1 + order % 2,
            days_per_week=7 if order % 4 else 5,
            side=[PlanItem.Side.BOTH, PlanItem.Side.LEFT, PlanItem.Side.RIGHT][order % 3],
        )
    return plan


def pdf_lines(pdf):
    """The PDF's text as ``pdftotext`` lays it out, line by line."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def spanish_pdf(whole_library_plan, therapist):
    return render_plan_handout(whole_library_plan, user=therapist).pdf


@pytest.fixture
def spanish_text(spanish_pdf):
    return pdf_text(spanish_pdf)


def english_words_in(text):
    return {
        line.strip(): sorted(set(re.findall(r"[a-z]+", line.lower())) & ENGLISH_WORDS)
        for line in text.splitlines()
        if set(re.findall(r"[a-z]+", line.lower())) & ENGLISH_WORDS
    }


def test_a_spanish_speaking_patients_handout_has_no_english_sentence(spanish_pdf):
    text = pdf_lines(spanish_pdf)

    assert "Sus ejercicios en casa" in text
    assert english_words_in(text) == {}


def test_the_english_word_check_finds_english(whole_library_plan, therapist):
    english = pdf_lines(render_plan_handout(whole_library_plan, user=therapist, language="en").pdf)

    assert english_words_in(english)["Stop and call us at +1 555 0100 if:"] == [
        "and",
        "at",
        "call",
        "if",
        "stop",
        "us",
    ]


def test_the_spanish_handout_reads_fairly_easily(spanish_pdf):
    assert fernandez_huerta(pdf_lines(spanish_pdf)) >= 70


def test_every_exercise_prints_its_spanish_text(whole_library_plan, spanish_text):
    for item in whole_library_plan.items.select_related("exercise"):
        spanish = item.exercise.translations["es"]
        assert spanish["name"].split(",")[0] in " ".join(spanish_text.split())
        for movement in item.exercise.movements.all():
            assert movement.translations["es"]["steps"][0] in spanish_text


def test_dates_doses_and_page_numbers_are_written_the_spanish_way(whole_library_plan, spanish_text):
    review = whole_library_plan.review_date
    spanish_months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
    spanish_months += ["septiembre", "octubre", "noviembre", "diciembre"]

    assert f"{review.day} de {spanish_months[review.month - 1]} de {review.year}" in spanish_text
    assert "1 serie de 10" in spanish_text
    assert "2 series de 10" in spanish_text
    assert "5 segundos cada vez" in spanish_text
    assert "1 vez al día" in spanish_text
    assert "5 días a la semana" in spanish_text
    assert "Solo la pierna izquierda" in spanish_text
    assert "Solo el brazo derecho" in spanish_text
    assert "Página 1 de" in spanish_text


def test_the_stop_rules_and_the_log_are_in_spanish(spanish_text):
    assert "Pare y llámenos al +1 555 0100 si:" in spanish_text
    assert "Pida ayuda enseguida (llame a emergencias)" in spanish_text
    assert "el dolor baja más por la pierna o el brazo;" in spanish_text
    assert "Su registro de dos semanas" in spanish_text
    assert "Notas para su próxima cita" in spanish_text


def test_the_patients_preferred_language_chooses_the_handouts(plan_for, therapist):
    assert "Sus ejercicios en casa" in pdf_text(render_plan_handout(plan_for("es-MX"), user=therapist).pdf)
    assert "Your home exercises" in pdf_text(render_plan_handout(plan_for("en"), user=therapist).pdf)


def test_a_language_glide_does_not_speak_prints_in_english(plan_for, therapist):
    handout = render_plan_handout(plan_for("fr"), user=therapist)

    assert "Your home exercises" in pdf_text(handout.pdf)
    assert handout.printed.language == "en"


def test_a_print_may_ask_for_another_language(plan_for, therapist):
    plan = plan_for("es")

    assert "Your home exercises" in pdf_text(render_plan_handout(plan, user=therapist, language="en").pdf)
    assert "Sus ejercicios en casa" in pdf_text(
        render_plan_handout(plan_for("en"), user=therapist, language="es").pdf
    )


@pytest.fixture
def plan_for(patient, therapist):
    def make(language):
        patient.preferred_language = language
        patient.save()
        plan = PlanFactory(patient=patient, therapist=therapist)
        PlanItem.objects.create(plan=plan, exercise=standard_exercise("median-nerve-slider"), order=0)
        return plan

    return make


def test_each_print_records_its_language(plan_for, therapist):
    handout = render_plan_handout(plan_for("es"), user=therapist)

    assert HandoutPrint.objects.get().language == "es"
    assert AuditEvent.objects.get(action="print").detail["language"] == "es"
    assert handout.filename.startswith("ejercicios-en-casa-")


@pytest.fixture
def partly_translated(clinic, spanish_patient, therapist):
    """A clinic's own exercise with a Spanish name and purpose, and nothing else in Spanish."""
    exercise = Exercise.objects.create(
        clinic=clinic,
        slug="towel-glide",
        name="Towel glide",
        kind=Exercise.Kind.SLIDER,
        nerve="sciatic",
        region=Exercise.Region.LOWER,
        purpose="Helps the nerve in your leg move.",
        precautions="Stop if it hurts.",
        translations={
            "es": {"name": "Deslizar con toalla", "purpose": "Ayuda a mover el nervio de la pierna."}
        },
    )
    ExerciseMovement.objects.create(
        exercise=exercise,
        order=1,
        slug="start",
        title="Start",
        steps=["Sit on a chair."],
        translations={"es": {"title": "Inicio"}},
    )
    plan = PlanFactory(patient=spanish_patient, therapist=therapist)
    PlanItem.objects.create(plan=plan, exercise=exercise, order=0)
    return plan


def test_a_partly_translated_exercise_says_which_text_is_in_english(partly_translated, therapist):
    text = pdf_text(render_plan_handout(partly_translated, user=therapist).pdf)

    assert "Deslizar con toalla" in text
    assert "Por eso está en inglés: cuándo parar, los pasos del dibujo 1." in text
    assert "Stop if it hurts." in text
    assert "Sit on a chair." in text


def test_text_that_fell_back_is_marked_english_for_screen_readers(partly_translated):
    html = handouts.render_html(partly_translated, "letter", "es")

    assert '<html lang="es">' in html
    assert '<p lang="en">Stop if it hurts.</p>' in html
    assert '<ol lang="en"><li>Sit on a chair.</li></ol>' in html
    # Text in the page's own language needs no mark of its own: it takes the page's.
    assert "Inicio" in html and "Ayuda a mover el nervio de la pierna." in html
    assert '<span lang="es">' not in html
