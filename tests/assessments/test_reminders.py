"""Exercise reminders by e-mail, sent by Celery beat each morning."""

import datetime

import pytest
from django.core import mail

from assessments.reminders import send_reminders
from assessments.tasks import send_exercise_reminders

from ..factories import PatientFactory, PlanFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 24)


@pytest.fixture
def reminders_on(clinic):
    clinic.exercise_reminders = True
    clinic.save()
    return clinic


def plan_for(clinic, **patient_fields):
    patient = PatientFactory(clinic=clinic, **{"email": "ada@example.org", **patient_fields})
    return PlanFactory(patient=patient, start_date=DAY - datetime.timedelta(days=3))


def test_a_patient_with_an_active_plan_gets_one_plain_reminder(reminders_on):
    plan_for(reminders_on, given_name="Ada")

    assert send_reminders(DAY) == 1

    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your exercises today, from Harbour Physio"
    assert message.body.startswith("Hello Ada,")


def test_running_the_sweep_again_the_same_day_sends_nothing_more(reminders_on):
    plan_for(reminders_on)
    send_reminders(DAY)

    assert send_reminders(DAY) == 0
    assert send_reminders(DAY + datetime.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_clinics_that_did_not_turn_reminders_on_send_none(clinic):
    plan_for(clinic)

    assert send_reminders(DAY) == 0
    assert mail.outbox == []


def test_no_reminder_without_an_address_an_active_plan_or_an_active_patient(reminders_on):
    plan_for(reminders_on, email="")
    PlanFactory(patient=PatientFactory(clinic=reminders_on, email="b@example.org"), status="completed")
    plan_for(reminders_on, email="c@example.org").patient.archive()

    assert send_reminders(DAY) == 0


def test_the_beat_task_sends_todays_reminders(reminders_on):
    PlanFactory(patient=PatientFactory(clinic=reminders_on, email="ada@example.org"))

    assert send_exercise_reminders.delay().get() == 1
