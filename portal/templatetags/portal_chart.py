"""What the patient logged, on the clinic's chart and plan pages:
``{% load portal_chart %}`` then ``{% portal_patient_panel patient %}`` or
``{% portal_plan_panel plan %}``. A fixed number of queries whatever the plans,
sessions and alerts; the clinical app's templates load this library, its code
imports nothing of this app."""

from django import template
from django.conf import settings
from django.utils import timezone

from portal import reports
from portal.charts import pain_svg

register = template.Library()


def _with_charts(found):
    for report in found:
        report.pain_chart = pain_svg(report.pain, settings.GLIDE_PORTAL_PAIN_ALERT_AT)
    return found


@register.inclusion_tag("portal/_patient_panel.html", takes_context=True)
def portal_patient_panel(context, patient):
    """Adherence, pain and alerts of the patient's active plans that have a link."""
    request = context["request"]
    plans = list(patient.plans.active().filter(links__isnull=False).distinct().order_by("-start_date"))
    found = _with_charts(reports.reports_for(plans, request.clinic)) if plans else []
    return {"reports": found, "request": request, "csrf_token": context.get("csrf_token"), "patient": patient}


@register.inclusion_tag("portal/_plan_panel.html", takes_context=True)
def portal_plan_panel(context, plan):
    """The plan's links (make, copy, revoke), adherence, pain and alerts."""
    request = context["request"]
    report = _with_charts(reports.reports_for([plan], request.clinic))[0]
    now = timezone.now()
    for link in report.links:
        link.full_url = link.url(request)
        link.state = (
            link.get_end_reason_display() or "Revoked"
            if link.revoked_at
            else "Expired"
            if link.expires_at <= now
            else "Plan ended"
            if plan.status != plan.Status.ACTIVE
            else "Open"
        )
    return {
        "report": report,
        "plan": plan,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "can_share": plan.status == plan.Status.ACTIVE and plan.patient.date_of_birth is not None,
    }
