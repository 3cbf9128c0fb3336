"""The patient's page: the year once per device, the plan for a phone, the log,
its correction on the same day, the stop rules when they apply, the ended link."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from clinic.models import AuditEvent
from portal.models import SessionLog
from portal.pages import COOKIE_NAME

from ..factories import SessionLogFactory
from ..pages import mentions

pytestmark = pytest.mark.django_db


def session_form(plan, **changes):
    form = {"date": timezone.localdate().isoformat(), "pain": "2", "an_hour_later": "better", "note": ""}
    form.update({f"item-{item.pk}": "yes" for item in plan.items.all()})
    form.update(changes)
    return form


@pytest.fixture
def device(link):
    """A phone that has given the year once."""
    client = Client()
    client.post(link.path, {"birth_year": "1985"})
    return client


def test_the_first_visit_asks_for_the_year_and_shows_nothing_of_the_plan(link):
    response = Client().get(link.path)

    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="birth_year"' in text
    assert not mentions(text, link.plan.patient.given_name)
    assert "Active hamstring" not in text


def test_the_right_year_is_remembered_by_a_signed_httponly_cookie_scoped_to_the_link(link):
    response = Client().post(link.path, {"birth_year": "1985"})

    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["path"] == link.path
    assert cookie["samesite"] == "Lax"
    assert str(link.pk) in cookie.value and cookie.value != str(link.pk)  # signed


def test_the_cookie_is_secure_in_production(link, settings):
    settings.SESSION_COOKIE_SECURE = True

    assert Client().post(link.path, {"birth_year": "1985"}).cookies[COOKIE_NAME]["secure"]


def test_a_wrong_year_is_refused_plainly_and_recorded(link):
    response = Client().post(link.path, {"birth_year": "1990"})

    assert response.status_code == 403
    assert "does not match" in response.content.decode()
    assert AuditEvent.objects.get(action="denied").detail["reason"] == "wrong_birth_year"


def test_the_plan_page_shows_the_first_name_and_the_exercises_only(device, link):
    response = device.get(link.path)

    text = response.content.decode()
    patient = link.plan.patient
    assert f"Hello, {patient.given_name}" in text
    assert "Active hamstring mobilization" in text
    for private in (patient.family_name, patient.chart_number, "1985", "Mar"):
        assert private not in text
    assert 'name="viewport"' in text and 'lang="en"' in text


def test_the_plan_page_is_in_the_patients_language(device, link):
    link.plan.patient.preferred_language = "es"
    link.plan.patient.save()

    assert 'lang="es"' in device.get(link.path).content.decode()


def test_every_view_of_the_page_is_audited_with_the_link_as_actor(device, link):
    before = AuditEvent.objects.count()

    device.get(link.path)

    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor, event.actor_description) == ("view", None, link.actor_description)


def test_a_session_is_logged_from_the_page(device, link):
    response = device.post(f"{link.path}sessions/", session_form(link.plan), follow=True)

    assert SessionLog.objects.get().pain == 2
    assert "Your session is saved" in response.content.decode()


def test_a_session_for_tomorrow_is_refused_and_nothing_is_written(device, link):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = device.post(f"{link.path}sessions/", session_form(link.plan, date=tomorrow))

    assert response.status_code == 400
    assert "has not come yet" in response.content.decode()
    assert not SessionLog.objects.exists()


def test_logging_without_the_year_on_this_device_goes_back_to_the_question(link):
    response = Client().post(f"{link.path}sessions/", session_form(link.plan))

    assert response.status_code == 302
    assert not SessionLog.objects.exists()


def test_a_session_is_corrected_on_its_own_day(device, link):
    log = SessionLogFactory(link=link, pain=2, an_hour_later="same")

    device.post(f"{link.path}sessions/{log.pk}/", session_form(link.plan, pain="4", an_hour_later="worse"))

    log.refresh_from_db()
    assert (log.pain, log.an_hour_later) == (4, "worse")


def test_a_session_of_an_earlier_day_cannot_be_changed(device, link):
    log = SessionLogFactory(link=link, date=timezone.localdate() - datetime.timedelta(days=1), pain=2)

    device.post(
        f"{link.path}sessions/{log.pk}/", session_form(link.plan, date=log.date.isoformat(), pain="9")
    )

    log.refresh_from_db()
    assert log.pain == 2


def test_the_stop_rules_are_shown_when_met_and_that_is_recorded(device, link):
    device.post(f"{link.path}sessions/", session_form(link.plan, pain="8", an_hour_later="worse"))

    response = device.get(link.path)

    assert "pins and needles or numbness that does not go away" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert SessionLog.objects.get().stop_advice_shown_at is not None


def test_a_revoked_link_answers_a_friendly_page_with_nothing_of_the_plan(device, link, therapist):
    link.revoke(by=therapist)

    response = device.get(link.path)

    assert response.status_code == 404
    text = response.content.decode()
    assert "contact your clinic" in text
    assert not mentions(text, link.plan.patient.given_name) and "hamstring" not in text


def test_an_unknown_link_answers_the_same_friendly_page():
    response = Client().get("/p/AAAAAAAAAAAAAAAAAAAAAAAA/")

    assert response.status_code == 404
    assert "contact your clinic" in response.content.decode()
