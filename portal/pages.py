"""
The pages of the patient's link, and the clinic's pages around it.

The patient's page is at the link's own address. The first time on a device it asks
for the year of birth; the answer is remembered by a signed, HttpOnly cookie scoped
to that address (Secure in production). It then shows the plan made for a phone and
a form to log a session. Everything the patient reads is translatable and shown in
their preferred language. An unknown or ended link answers a friendly page that
shows nothing of the plan.

The clinic's pages: a plan's links (make one, revoke one) and the clinic's open
alerts, acknowledged with who and when.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from assessments import handouts, schedule
from assessments.models import Plan
from assessments.translations import exercise_text
from clinic import audit
from clinic.models import AuditEvent
from clinic.pages import clinic_page, require_form_methods, require_writer

from . import access, sections, services
from .models import Alert, PatientLink, SessionItem, SessionLog

Action = AuditEvent.Action
COOKIE_NAME = "glide_portal"
MAX_COOKIE_AGE = 180 * 24 * 3600


# --- The patient's year of birth, once per device ---------------------------------------


def _cookie_salt(link):
    return f"glide.portal.birth-year.{link.pk}"


def has_year_cookie(request, link):
    value = request.get_signed_cookie(
        COOKIE_NAME, default=None, salt=_cookie_salt(link), max_age=MAX_COOKIE_AGE
    )
    return value == str(link.pk)


def remember_year(response, link):
    seconds = int((link.expires_at - timezone.now()).total_seconds())
    response.set_signed_cookie(
        COOKIE_NAME,
        str(link.pk),
        salt=_cookie_salt(link),
        max_age=max(0, min(seconds, MAX_COOKIE_AGE)),
        path=link.path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


class BirthYearForm(forms.Form):
    birth_year = forms.IntegerField(
        label=gettext_lazy("The year you were born"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "autocomplete": "bday-year", "placeholder": "1985"}
        ),
    )


def refused_page(request, refusal):
    """The friendly page for an unknown, ended or throttled link: nothing of the plan."""
    link = refusal.link if refusal.reason != access.UNKNOWN else None
    language = link.plan.patient.preferred_language if link else translation.get_language()
    status = 429 if refusal.reason == access.THROTTLED else 404
    with translation.override(language):
        response = render(
            request,
            "portal/ended.html",
            {"clinic": link.clinic if link else None, "throttled": refusal.reason == access.THROTTLED},
            status=status,
        )
    if status == 429:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def patient_page(view):
    """Opens the link in the address (or answers the refusal page) and runs ``view``
    in the patient's language with ``request.link``."""

    def wrapped(request, secret, *args, **kwargs):
        try:
            link = access.open_link(request, secret)
        except access.Refused as refusal:
            return refused_page(request, refusal)
        request.link = link
        with translation.override(link.plan.patient.preferred_language or "en"):
            return view(request, link, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- The session form -------------------------------------------------------------------


class SessionForm(forms.Form):
    """One session: each exercise done or not, pain during, an hour later, a note."""

    date = forms.DateField(
        label=gettext_lazy("Which day was it?"), widget=forms.DateInput(attrs={"type": "date"})
    )
    pain = forms.TypedChoiceField(
        label=gettext_lazy("Pain during the exercises (0 is no pain, 10 is the worst)"),
        choices=[(value, str(value)) for value in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    an_hour_later = forms.ChoiceField(
        label=gettext_lazy("How are your symptoms an hour later?"),
        choices=SessionLog.HourLater.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Anything to tell your therapist? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, plan_items, today, start_date, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_items = plan_items
        self.fields["date"].widget.attrs.update(max=today.isoformat(), min=start_date.isoformat())
        for item in plan_items:
            # The exercise's name as the patient reads it on the page, in their language.
            self.fields[f"item-{item.pk}"] = forms.ChoiceField(
                label=exercise_text(item.exercise, language).name,
                choices=SessionItem.Done.choices,
                widget=forms.RadioSelect,
            )

    def exercise_fields(self):
        return [(item, self[f"item-{item.pk}"]) for item in self.plan_items]

    def session_data(self):
        data = {name: self.cleaned_data[name] for name in ("date", "pain", "an_hour_later", "note")}
        data["items"] = [
            {"exercise": item.pk, "done": self.cleaned_data[f"item-{item.pk}"]} for item in self.plan_items
        ]
        return data

    def place_errors(self, error):
        for key, messages_ in error.message_dict.items():
            field = key if key in self.fields else None
            for message in messages_:
                self.add_error(field, message)


def _form(link, plan_items, data=None, log=None):
    initial = {"date": link.clinic.today()}
    if log is not None:
        initial = {"date": log.date, "pain": log.pain, "an_hour_later": log.an_hour_later, "note": log.note}
        initial.update({f"item-{item.plan_item_id}": item.done for item in log.items.all()})
    return SessionForm(
        data,
        initial=initial,
        plan_items=plan_items,
        today=link.clinic.today(),
        start_date=link.plan.start_date,
        language=handouts.handout_language(link.plan.patient),
        prefix=None,
    )


def _plan_items(link):
    return list(
        link.plan.items.select_related("exercise").prefetch_related("exercise__movements").order_by("order")
    )


def _save(request, link, form, log=None):
    """The form's session saved (or ``None`` with the errors placed on the form)."""
    if not form.is_valid():
        return None
    try:
        saved = services.log_session(link, form.session_data(), log=log)
    except ValidationError as error:
        form.place_errors(error)
        return None
    access.record_access(request, link, Action.UPDATE if log else Action.CREATE, saved)
    return saved


# --- The patient's pages -----------------------------------------------------------------


def plan_page(request, link, form=None, status=200):
    plan_items = _plan_items(link)
    today = link.clinic.today()
    logs = list(SessionLog.objects.filter(plan=link.plan).with_items().order_by("-date", "-created_at"))
    todays = [log for log in logs if log.date == today]
    needing_advice = [log for log in todays if log.meets_stop_rule]
    services.mark_stop_advice_shown(needing_advice)
    sheets = handouts.exercise_sheets(plan_items, handouts.handout_language(link.plan.patient))
    for sheet in sheets:
        for movement, source in zip(sheet.movements, sheet.exercise.movements.all(), strict=True):
            path = handouts.clean_static_path(source.illustration)
            movement.web_url = static(path) if path else ""
    context = {
        "link": link,
        "plan": link.plan,
        "patient_name": link.plan.patient.given_name,
        "clinic": link.clinic,
        "exercises": sheets,
        "spreading_rule": handouts.spreading_rule(sheets),
        "form": form or _form(link, plan_items),
        "todays_logs": todays,
        "earlier_count": len(logs) - len(todays),
        "stop_advice": bool(needing_advice),
        "today": today,
        "next_exercise_day": schedule.next_exercise_day(plan_items, today),
        "sections": sections.render_sections(request, link),
    }
    access.record_access(request, link, part="plan page")
    return render(request, "portal/plan.html", context, status=status)


@require_form_methods
@patient_page
def plan(request, link):
    """The plan, once the year of birth is known on this device; the year's form
    before."""
    if has_year_cookie(request, link):
        return plan_page(request, link)
    form = BirthYearForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            access.check_birth_year(request, link, form.cleaned_data["birth_year"])
        except access.Refused as refusal:
            if refusal.reason == access.THROTTLED:
                return refused_page(request, refusal)
            form.add_error("birth_year", _("That year does not match our records. Please try again."))
            return render(request, "portal/year.html", {"form": form, "clinic": link.clinic}, status=403)
        access.record_access(request, link, Action.LOGIN, part="year of birth")
        return remember_year(redirect(link.path), link)
    return render(request, "portal/year.html", {"form": form, "clinic": link.clinic})


@require_POST
@patient_page
def log_session(request, link):
    if not has_year_cookie(request, link):
        return redirect(link.path)
    form = _form(link, _plan_items(link), request.POST)
    if _save(request, link, form) is None:
        return plan_page(request, link, form, status=400)
    messages.success(request, _("Thank you. Your session is saved."))
    return redirect(link.path + "#today")


@require_form_methods
@patient_page
def correct_session(request, link, pk):
    """Change a session logged today; a session of an earlier day stays as it was."""
    if not has_year_cookie(request, link):
        return redirect(link.path)
    log = get_object_or_404(SessionLog.objects.filter(plan=link.plan).with_items(), pk=pk)
    if not log.is_correctable():
        messages.info(request, _("A session can only be changed on its own day."))
        return redirect(link.path)
    form = _form(link, _plan_items(link), request.POST if request.method == "POST" else None, log=log)
    if request.method == "POST":
        if _save(request, link, form, log=log) is not None:
            messages.success(request, _("Thank you. Your session is updated."))
            return redirect(link.path + "#today")
    else:
        access.record_access(request, link, Action.VIEW, log)
    return render(
        request,
        "portal/session_form.html",
        {"form": form, "log": log, "link": link, "clinic": link.clinic},
        status=400 if form.is_bound else 200,
    )


# --- The clinic's pages ------------------------------------------------------------------


@require_POST
@clinic_page
def link_create(request, pk):
    plan = get_object_or_404(
        Plan.objects.filter(clinic=request.clinic).select_related("clinic", "patient"), pk=pk
    )
    require_writer(request, plan)
    try:
        link = services.issue_link(plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit.record(request, Action.CREATE, link, patient=plan.patient)
        messages.success(request, "The patient's link is ready: print the handout, or copy the address.")
    return redirect("plan-detail", pk=plan.pk)


@require_POST
@clinic_page
def link_revoke(request, plan_pk, pk):
    link = get_object_or_404(
        PatientLink.objects.filter(clinic=request.clinic, plan_id=plan_pk).select_related("plan__patient"),
        pk=pk,
    )
    require_writer(request, link.plan)
    link.revoke(by=request.user)
    audit.record(request, Action.UPDATE, link, patient=link.plan.patient, change="revoked")
    messages.success(request, "The link is revoked: it no longer opens the plan.")
    return redirect("plan-detail", pk=link.plan_id)


ACKNOWLEDGED_SHOWN = 20


@require_safe
@clinic_page
def alert_list(request):
    alerts = Alert.objects.filter(clinic=request.clinic).select_related(
        "plan__patient", "session_log", "acknowledged_by"
    )
    open_alerts = list(alerts.open().order_by("-raised_at"))
    acknowledged = list(
        alerts.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:ACKNOWLEDGED_SHOWN]
    )
    audit.record(
        request,
        Action.LIST,
        clinic=request.clinic,
        object_type=Alert._meta.model_name,
        ids=[str(alert.pk) for alert in open_alerts + acknowledged],
    )
    return render(
        request,
        "portal/alert_list.html",
        {"open_alerts": open_alerts, "acknowledged": acknowledged, "nav": "alerts"},
    )


@require_POST
@clinic_page
def alert_acknowledge(request, pk):
    alert = get_object_or_404(
        Alert.objects.filter(clinic=request.clinic).select_related("plan__patient"), pk=pk
    )
    require_writer(request, alert)
    alert.acknowledge(by=request.user)
    audit.record(request, Action.UPDATE, alert, change="acknowledged")
    messages.success(request, f"Alert for {alert.plan.patient.full_name} acknowledged.")
    next_page = request.POST.get("next", "")
    if next_page and url_has_allowed_host_and_scheme(next_page, allowed_hosts={request.get_host()}):
        return redirect(next_page)
    return redirect("portal:alerts")
