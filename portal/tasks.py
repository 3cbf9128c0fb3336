"""Celery tasks of the patient's link. Thin: the rules are in ``portal.services``."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def sweep():
    """End the links whose time is up and raise "no log" alerts. Safe to run twice:
    an ended link is not ended again, and a plan has one open "no log" alert at most."""
    return services.sweep()
