"""A patient who reads Spanish opens their link: every page they can reach is in
Spanish, headings, buttons, form questions and messages alike, with no English left."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from outcomes import services as outcome_services

from ..assessments.test_handout_languages import ENGLISH_WORDS
from ..factories import SessionLogFactory, instrument, standard_exercise

pytestmark = pytest.mark.django_db


class ReadText(HTMLParser):
    """What a patient reads or hears of a page: its text and the attributes a
    screen reader speaks, outside <style> and <script>."""

    SPOKEN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.raw = [], 0

    def handle_starttag(self, tag, attrs):
        self.raw += tag in ("style", "script")
        self.parts += [value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self.raw -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.raw:
            self.parts.append(data)


def read_text(response):
    reader = ReadText()
    reader.feed(response.content.decode())
    return " ".join(" ".join(reader.parts).split())


def english_words(text):
    return sorted({word for word in re.findall(r"[a-z]+", text.lower()) if word in ENGLISH_WORDS})


def spanish_name(slug):
    return standard_exercise(slug).translations["es"]["name"]


@pytest.fixture
def spanish_link(link):
    """Ada's link, for a patient who reads Spanish, at a clinic and with a goal
    written in Spanish (the clinic's own words)."""
    patient, plan = link.plan.patient, link.plan
    patient.preferred_language = "es"
    patient.save()
    link.clinic.name = "Clínica del Río"
    link.clinic.save()
    plan.goals = "Poder sentarme en una reunión de trabajo"
    plan.save()
    return link


@pytest.fixture
def device(spanish_link):
    """Ada's phone, once it has given the year."""
    client = Client()
    client.post(spanish_link.path, {"birth_year": "1985"})
    return client


def test_the_year_question_is_in_spanish(spanish_link):
    text = read_text(Client().get(spanish_link.path))

    assert "Le damos la bienvenida" in text
    assert "El año en que nació" in text
    assert "Abrir mis ejercicios" in text
    assert english_words(text) == []


def test_a_wrong_year_is_refused_in_spanish(spanish_link):
    text = read_text(Client().post(spanish_link.path, {"birth_year": "1990"}))

    assert "Ese año no coincide con nuestros datos" in text
    assert english_words(text) == []


def test_the_plan_page_has_spanish_headings_and_buttons(device, spanish_link):
    text = read_text(device.get(spanish_link.path))

    for spanish in (
        "Hola, Ada",
        "Hoy",
        "Su meta",
        "Pare y llámenos al +1 555 0100 si:",
        "Sus ejercicios",
        "Anotar una sesión",
        "Guardar esta sesión",
        "¿Tiene preguntas?",
        "Ir al contenido",
    ):
        assert spanish in text
    assert english_words(text) == []


def test_the_session_questions_name_each_exercise_in_spanish(device, spanish_link):
    text = read_text(device.get(spanish_link.path))

    for slug in ("active-hamstring-mobilization", "sciatic-seated-slump-slider"):
        assert f"¿Hizo «{spanish_name(slug)}»?" in text
    assert "Sí, todo" in text and "Una parte" in text
    assert "¿Cómo están sus síntomas una hora después?" in text


def test_a_session_that_meets_a_stop_rule_brings_the_stop_rules_in_spanish(device, spanish_link):
    SessionLogFactory(link=spanish_link, pain=8, an_hour_later="worse")

    text = read_text(device.get(spanish_link.path))

    assert "Nos dijo que tenía mucho dolor" in text
    assert "Sesión guardada. Dolor: 8 de 10. Peor." in text
    assert "Llamar al +1 555 0100" in text
    assert english_words(text) == []


def test_a_session_saved_is_thanked_in_spanish(device, spanish_link):
    form = {"date": timezone.localdate().isoformat(), "pain": "2", "an_hour_later": "better", "note": ""}
    form.update({f"item-{item.pk}": "yes" for item in spanish_link.plan.items.all()})

    text = read_text(device.post(f"{spanish_link.path}sessions/", form, follow=True))

    assert "Gracias. Su sesión está guardada." in text
    assert english_words(text) == []


def test_a_session_left_blank_is_refused_in_spanish(device, spanish_link):
    response = device.post(f"{spanish_link.path}sessions/", {"date": timezone.localdate().isoformat()})

    assert response.status_code == 400
    assert english_words(read_text(response)) == []


def test_a_day_before_the_plan_is_refused_with_the_start_written_in_spanish(device, spanish_link):
    plan = spanish_link.plan
    plan.start_date = datetime.date(2026, 11, 24)
    plan.save()

    form = {"date": "2026-11-20", "pain": "2", "an_hour_later": "better", "note": ""}
    form.update({f"item-{item.pk}": "yes" for item in plan.items.all()})

    response = device.post(f"{spanish_link.path}sessions/", form)

    assert response.status_code == 400
    assert "Su plan empieza el martes 24 de noviembre de 2026." in read_text(response)


def test_the_change_page_is_in_spanish(device, spanish_link):
    log = SessionLogFactory(link=spanish_link)

    text = read_text(device.get(f"{spanish_link.path}sessions/{log.pk}/"))

    assert "Cambiar su sesión" in text
    assert "Volver a sus ejercicios" in text
    assert "Guardar los cambios" in text
    assert english_words(text) == []


def test_an_ended_link_says_so_in_spanish(device, spanish_link, therapist):
    spanish_link.revoke(by=therapist)

    text = read_text(device.get(spanish_link.path))

    assert "Este enlace no está disponible" in text
    assert english_words(text) == []


@pytest.mark.parametrize("code", ["nprs", "psfs", "groc"])
def test_a_measure_the_therapist_sent_reads_in_spanish(device, spanish_link, therapist, code):
    measure_request, _ = outcome_services.request_measure(
        patient=spanish_link.plan.patient, instrument=instrument(code), requested_by=therapist
    )

    listed = read_text(device.get(spanish_link.path))
    questions = read_text(device.get(f"{spanish_link.path}measures/{measure_request.pk}/"))

    assert "Preguntas de su terapeuta" in listed
    assert "Enviar mis respuestas" in questions
    assert english_words(listed) == [] and english_words(questions) == []


def test_a_refused_measure_says_why_in_spanish(device, spanish_link, therapist):
    measure_request, _ = outcome_services.request_measure(
        patient=spanish_link.plan.patient, instrument=instrument("nprs"), requested_by=therapist
    )

    text = read_text(device.post(f"{spanish_link.path}measures/{measure_request.pk}/", {}))

    assert "Por favor, conteste al menos una pregunta." in text
    assert english_words(text) == []
