"""
What the clinic sees of a plan's logs: adherence per week, the pain trend, the
alerts. Read for one plan or for all of a patient's plans in a fixed number of
queries, however many plans, sessions and alerts there are.
"""

from dataclasses import dataclass, field

from assessments.models import PlanItem

from . import adherence
from .models import Alert, PatientLink, SessionLog


@dataclass
class PlanReport:
    plan: object
    weeks: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    links: list = field(default_factory=list)

    @property
    def pain(self):
        return adherence.pain_trend(self.sessions)

    @property
    def open_alerts(self):
        return [alert for alert in self.alerts if alert.acknowledged_at is None]

    @property
    def recent_weeks(self):
        return self.weeks[-6:]


def reports_for(plans, clinic):
    """One ``PlanReport`` per plan, in the order given: 4 queries in all."""
    plans = list(plans)
    ids = [plan.pk for plan in plans]
    today = clinic.today()
    items, logs, alerts, links = {}, {}, {}, {}
    for item in PlanItem.objects.filter(plan_id__in=ids).select_related("exercise"):
        items.setdefault(item.plan_id, []).append(item)
    for log in SessionLog.objects.filter(plan_id__in=ids).with_items().order_by("date", "created_at"):
        logs.setdefault(log.plan_id, []).append(log)
    for alert in Alert.objects.filter(plan_id__in=ids).order_by("-raised_at"):
        alerts.setdefault(alert.plan_id, []).append(alert)
    for link in PatientLink.objects.filter(plan_id__in=ids).order_by("-created_at"):
        links.setdefault(link.plan_id, []).append(link)
    return [
        PlanReport(
            plan=plan,
            weeks=adherence.weeks(
                plan.start_date, today, items.get(plan.pk, []), [log.date for log in logs.get(plan.pk, [])]
            ),
            sessions=logs.get(plan.pk, []),
            alerts=alerts.get(plan.pk, []),
            links=links.get(plan.pk, []),
        )
        for plan in plans
    ]


def report_for(plan):
    return reports_for([plan], plan.clinic)[0]
