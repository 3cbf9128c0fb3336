"""Alerts: raised by the logs and the sweep, listed for the clinic, acknowledged
with who and when."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from clinic.models import AuditEvent
from portal import services
from portal.models import Alert

from ..factories import AlertFactory, PatientLinkFactory, SessionLogFactory
from .conftest import session_payload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def log(link, days_ago=0, **fields):
    data = session_payload(link.plan, date=TODAY - datetime.timedelta(days=days_ago), **fields)
    data["items"] = [{"exercise": item.pk, "done": "yes"} for item in link.plan.items.all()]
    return services.log_session(link, data)


def test_pain_at_the_threshold_raises_an_alert(link, settings):
    session = log(link, pain=settings.GLIDE_PORTAL_PAIN_ALERT_AT)

    assert Alert.objects.get().session_log == session


def test_pain_below_the_threshold_raises_none(link, settings):
    log(link, pain=settings.GLIDE_PORTAL_PAIN_ALERT_AT - 1)

    assert not Alert.objects.exists()


def test_worse_an_hour_later_twice_in_a_row_raises_an_alert(link):
    log(link, days_ago=1, an_hour_later="worse")
    second = log(link, an_hour_later="worse")

    assert list(Alert.objects.values_list("kind", "session_log")) == [("worse_twice", second.pk)]


def test_worse_once_then_better_raises_none(link):
    log(link, days_ago=1, an_hour_later="worse")
    log(link, an_hour_later="better")

    assert not Alert.objects.exists()


def test_correcting_a_session_does_not_raise_its_alert_twice(link):
    session = log(link, pain=9)
    data = session_payload(link.plan, pain=10)
    data["date"] = TODAY
    data["items"] = [{"exercise": item.pk, "done": "yes"} for item in link.plan.items.all()]

    services.log_session(link, data, log=session)

    assert Alert.objects.count() == 1


def test_the_sweep_raises_one_no_log_alert_for_a_quiet_plan(link, settings):
    SessionLogFactory(link=link, date=TODAY - datetime.timedelta(days=settings.GLIDE_PORTAL_QUIET_DAYS))

    call_command("portal_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("portal_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(Alert.objects.values_list("kind", flat=True)) == ["no_log"]


def test_the_sweep_leaves_a_plan_logged_recently_alone(link):
    SessionLogFactory(link=link, date=TODAY - datetime.timedelta(days=1))

    assert services.raise_quiet_plan_alerts() == 0


def test_the_sweep_ignores_plans_whose_links_have_ended(link, therapist, settings):
    SessionLogFactory(link=link, date=TODAY - datetime.timedelta(days=10))
    link.revoke(by=therapist)

    assert services.raise_quiet_plan_alerts() == 0


def test_the_clinic_lists_its_open_alerts(therapist, link, other_clinic):
    alert = AlertFactory(session_log=SessionLogFactory(link=link, pain=9))
    AlertFactory(
        session_log=SessionLogFactory(link=PatientLinkFactory(plan__patient__clinic=other_clinic), pain=9)
    )
    client = Client()
    client.force_login(therapist)

    response = client.get("/alerts/")

    assert response.status_code == 200
    assert response.content.decode().count('class="alert-row"') == 1
    assert AuditEvent.objects.get(action="list").detail["ids"] == [str(alert.pk)]


def test_acknowledging_an_alert_records_who_and_when(therapist, link):
    alert = AlertFactory(session_log=SessionLogFactory(link=link, pain=9))
    client = Client()
    client.force_login(therapist)

    response = client.post(f"/alerts/{alert.pk}/acknowledge/")

    alert.refresh_from_db()
    assert response.status_code == 302
    assert (alert.acknowledged_by, alert.acknowledged_at is not None) == (therapist, True)
    event = AuditEvent.objects.get(action="update")
    assert (event.object_type, event.detail["change"], event.patient) == (
        "alert",
        "acknowledged",
        link.plan.patient,
    )


def test_a_viewer_cannot_acknowledge_an_alert(viewer, link):
    alert = AlertFactory(session_log=SessionLogFactory(link=link, pain=9))
    client = Client()
    client.force_login(viewer)

    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_goes_back_only_to_a_page_of_this_site(therapist, link):
    alert = AlertFactory(session_log=SessionLogFactory(link=link, pain=9))
    client = Client()
    client.force_login(therapist)

    response = client.post(f"/alerts/{alert.pk}/acknowledge/", {"next": "https://evil.example/"})

    assert response["Location"] == "/alerts/"
