"""When the therapist names the days of every exercise, the patient's page says so on
a rest day, and says which day comes next."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from assessments.schedule import day_code

from .conftest import link_headers

pytestmark = pytest.mark.django_db


def only_on(plan, day):
    plan.items.update(weekdays=[day_code(day)], days_per_week=1)


@pytest.fixture
def device(link):
    client = Client()
    client.post(link.path, {"birth_year": "1985"})
    return client


def test_a_rest_day_names_the_next_exercise_day(device, link):
    tomorrow = link.clinic.today() + datetime.timedelta(days=1)
    only_on(link.plan, tomorrow)

    text = device.get(link.path).content.decode()

    assert "Today is a rest day from your exercises." in text
    assert f"Your next exercise day is {tomorrow:%A}." in text


def test_an_exercise_day_says_nothing_of_rest(device, link):
    only_on(link.plan, link.clinic.today())

    assert "rest day" not in device.get(link.path).content.decode()


def test_the_rest_day_is_told_in_the_patients_language(device, link):
    link.plan.patient.preferred_language = "es"
    link.plan.patient.save()
    monday = link.clinic.today() + datetime.timedelta(days=7 - link.clinic.today().weekday())
    only_on(link.plan, monday)

    text = device.get(link.path).content.decode()

    assert "Hoy es un día de descanso" in text and "lunes" in text


def test_the_api_gives_the_next_exercise_day_on_a_rest_day_only(link):
    today = link.clinic.today()
    before = APIClient().get("/api/v1/portal/plan/", **link_headers(link)).json()
    only_on(link.plan, today + datetime.timedelta(days=3))

    after = APIClient().get("/api/v1/portal/plan/", **link_headers(link)).json()

    assert before["next_exercise_day"] is None
    assert after["next_exercise_day"] == (today + datetime.timedelta(days=3)).isoformat()
