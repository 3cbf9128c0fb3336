"""
Exercise reminders by e-mail: each morning, a short note to each patient who has an
active plan and an e-mail address, in clinics that turned reminders on. Sent through
Django's e-mail backend (the console by default, see ``EMAIL_BACKEND``).
"""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ExerciseReminder, Plan


def plans_to_remind(day):
    """Active plans, started by ``day``, of patients with an e-mail address and not
    archived, in clinics with reminders on, not yet reminded that day."""
    return (
        Plan.objects.filter(
            status=Plan.Status.ACTIVE,
            start_date__lte=day,
            clinic__exercise_reminders=True,
            patient__archived_at__isnull=True,
        )
        .exclude(patient__email="")
        .exclude(reminders__day=day)
        .select_related("patient", "clinic")
    )


def send_reminders(day=None):
    """Send the day's reminders; returns how many were sent. Safe to run again the
    same day: a plan already reminded is skipped."""
    day = day or timezone.localdate()
    sent = 0
    for plan in plans_to_remind(day).iterator(chunk_size=500):
        try:
            with transaction.atomic():
                ExerciseReminder.objects.create(plan=plan, day=day)
                send_mail(
                    subject=f"Your exercises today, from {plan.clinic.name}",
                    message=render_to_string("assessments/reminder_email.txt", {"plan": plan, "day": day}),
                    from_email=None,
                    recipient_list=[plan.patient.email],
                )
        except IntegrityError:
            continue  # another run reminded this plan today
        sent += 1
    return sent
