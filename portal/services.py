"""
The writes of the patient's side, each one function under ``transaction.atomic``:
issuing a link, logging or correcting a session (and the alerts it raises), and the
scheduled sweep (links whose time is up, plans that have gone quiet).

The sweep is plain functions so that ``manage.py portal_sweep`` runs it now and a
Celery beat task can call the same later.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from assessments.models import Plan

from .models import Alert, PatientLink, SessionItem, SessionLog


def issue_link(plan, *, by, expires_at=None):
    """A new private link to ``plan``. Its second factor is the patient's year of
    birth, so the patient needs one on record."""
    errors = {}
    if plan.patient.date_of_birth is None:
        errors["plan"] = "Record the patient's date of birth first: the link asks for the year."
    if plan.status != Plan.Status.ACTIVE:
        errors["plan"] = "Only an active plan can be shared."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry is in the past."
    if errors:
        raise ValidationError(errors)
    return PatientLink.objects.create(
        plan=plan,
        clinic=plan.clinic,
        created_by=by,
        expires_at=expires_at or PatientLink.default_expiry(plan),
    )


def check_session(link, data, *, log=None):
    """Validate a session's date and exercises against the plan; Django
    ``ValidationError`` with the fields' names on failure."""
    plan, today = link.plan, link.clinic.today()
    errors = {}
    date = data["date"]
    if date > today:
        errors["date"] = _("This day has not come yet.")
    elif date < plan.start_date:
        # Translators: see "l, F j, Y" on the handout.
        starts = dateformat.format(plan.start_date, _("l, F j, Y"))
        errors["date"] = _("Your plan starts on %(date)s.") % {"date": starts}
    if log is not None and (log.date != today or date != log.date):
        errors["date"] = _("A log can only be changed on the day it is for.")
    plan_items = {item.pk: item for item in plan.items.all()}
    seen = set()
    for index, entry in enumerate(data["items"]):
        item_id = entry["exercise"]
        if item_id not in plan_items:
            errors[f"items.{index}.exercise"] = _("This exercise is not in your plan.")
        elif item_id in seen:
            errors[f"items.{index}.exercise"] = _("This exercise is listed twice.")
        seen.add(item_id)
    if errors:
        raise ValidationError(errors)
    return plan_items


@transaction.atomic
def log_session(link, data, *, log=None):
    """Record a session (or correct ``log``, on its own day), then raise the alerts
    it calls for. ``data``: date, items [{exercise: plan item id, done}], pain,
    an_hour_later, note."""
    plan_items = check_session(link, data, log=log)
    if log is None:
        log = SessionLog(clinic=link.clinic, plan=link.plan, link=link)
    log.date = data["date"]
    log.pain = data["pain"]
    log.an_hour_later = data["an_hour_later"]
    log.note = data.get("note", "")
    log.full_clean(exclude=["clinic", "plan", "link"])
    log.save()
    log.items.all().delete()
    SessionItem.objects.bulk_create(
        SessionItem(
            log=log,
            plan_item=plan_items[entry["exercise"]],
            exercise_id=plan_items[entry["exercise"]].exercise_id,
            done=entry["done"],
        )
        for entry in data["items"]
    )
    raise_alerts_for(log)
    return log


def raise_alerts_for(log):
    """Pain at or above the threshold; worse an hour later in this session and the
    one before it. Each at most once per log."""
    if log.pain >= settings.GLIDE_PORTAL_PAIN_ALERT_AT:
        Alert.objects.get_or_create(
            session_log=log, kind=Alert.Kind.PAIN, defaults={"clinic": log.clinic, "plan": log.plan}
        )
    if log.an_hour_later == SessionLog.HourLater.WORSE:
        before = (
            SessionLog.objects.filter(plan=log.plan)
            .exclude(pk=log.pk)
            .filter(date__lte=log.date)
            .order_by("-date", "-created_at")
            .first()
        )
        if before is not None and before.an_hour_later == SessionLog.HourLater.WORSE:
            Alert.objects.get_or_create(
                session_log=log,
                kind=Alert.Kind.WORSE_TWICE,
                defaults={"clinic": log.clinic, "plan": log.plan},
            )


def mark_stop_advice_shown(logs):
    """The page showed the stop rules for these logs: recorded once, when first shown."""
    ids = [log.pk for log in logs if log.stop_advice_shown_at is None]
    if ids:
        SessionLog.objects.filter(pk__in=ids, stop_advice_shown_at__isnull=True).update(
            stop_advice_shown_at=timezone.now()
        )


def raise_quiet_plan_alerts(now=None):
    """A "no log" alert for each plan with an open link and no session logged for
    ``GLIDE_PORTAL_QUIET_DAYS`` days (counted in the clinic's days, from the link's
    first day when nothing was ever logged). One open alert per plan at most."""
    now = now or timezone.now()
    quiet_days = settings.GLIDE_PORTAL_QUIET_DAYS
    raised = 0
    plans = (
        Plan.objects.active()
        .filter(links__in=PatientLink.objects.open(now))
        .exclude(alerts__kind=Alert.Kind.NO_LOG, alerts__acknowledged_at__isnull=True)
        .annotate(last_logged=Max("session_logs__date"))
        .select_related("clinic")
        .distinct()
    )
    for plan in plans:
        today = timezone.localdate(now, timezone=plan.clinic.zone)
        first_link = plan.links.order_by("created_at").values_list("created_at", flat=True).first()
        since = plan.last_logged or timezone.localdate(first_link, timezone=plan.clinic.zone)
        if today - since >= datetime.timedelta(days=quiet_days):
            _, created = Alert.objects.get_or_create(
                plan=plan, kind=Alert.Kind.NO_LOG, acknowledged_at=None, defaults={"clinic": plan.clinic}
            )
            raised += created
    return raised


def sweep(now=None):
    """The scheduled work: end the links whose time is up, raise "no log" alerts."""
    now = now or timezone.now()
    return {"links_ended": PatientLink.objects.end_due(now), "alerts_raised": raise_quiet_plan_alerts(now)}
