"""Celery tasks of the clinical record. Thin: the rules are in ``reminders``."""

from celery import shared_task

from . import reminders


@shared_task
def send_exercise_reminders():
    return reminders.send_reminders()
