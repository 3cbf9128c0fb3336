"""Sign-in hardening: every sign-in, failure, lockout and sign-out is in the audit
trail; ten bad passwords lock the account (in the database, so the lock holds across
workers); an idle session ends; weak passwords are refused."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest
from django.utils import timezone

from clinic.models import AuditEvent

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"


@pytest.fixture
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10


@pytest.fixture
def staff():
    return UserFactory(username="dana", is_staff=True, is_superuser=True)


def sign_in(client, username, password, **headers):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **headers)


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_a_sign_in_is_recorded_with_address_and_browser(client, staff, lockout_on):
    response = sign_in(client, "dana", PASSWORD, HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    event = events(AuditEvent.Action.LOGIN).get()
    assert (event.actor, event.ip_address, event.user_agent) == (staff, "203.0.113.9", "Firefox/140")


def test_a_failed_sign_in_is_recorded_with_the_attempted_username(client, staff, lockout_on):
    response = sign_in(client, "dana", "not-the-password")
    assert response.status_code == 200
    event = events(AuditEvent.Action.LOGIN_FAILED).get()
    assert event.actor is None
    assert event.actor_username == "dana"
    assert "not-the-password" not in str(event.detail)


def test_a_sign_in_with_an_unknown_username_is_recorded_too(client, lockout_on):
    sign_in(client, "mallory", "guess")
    assert events(AuditEvent.Action.LOGIN_FAILED).get().actor_username == "mallory"


def test_signing_out_is_recorded(client, staff):
    client.force_login(staff)
    client.logout()
    assert events(AuditEvent.Action.LOGOUT).get().actor == staff


def test_ten_bad_passwords_lock_the_account(client, staff, lockout_on):
    for _ in range(9):
        sign_in(client, "dana", "wrong-password")
    assert not events(AuditEvent.Action.LOCKOUT).exists()

    sign_in(client, "dana", "wrong-password")

    # The tenth failure is recorded once, as the lockout it caused.
    assert events(AuditEvent.Action.LOGIN_FAILED).count() == 9
    lockout = events(AuditEvent.Action.LOCKOUT).get()
    assert (lockout.actor_username, lockout.detail) == ("dana", {"failures": 10})
    response = sign_in(client, "dana", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not events(AuditEvent.Action.LOGIN).exists()


def test_the_lock_is_on_the_account_whatever_the_address(client, staff, lockout_on):
    for number in range(10):
        sign_in(client, "dana", "wrong-password", REMOTE_ADDR=f"198.51.100.{number}")
    assert sign_in(client, "dana", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429


def test_a_locked_account_does_not_lock_a_colleague(client, staff, lockout_on):
    UserFactory(username="jordan", is_staff=True, is_superuser=True)
    for _ in range(10):
        sign_in(client, "dana", "wrong-password")
    assert sign_in(client, "jordan", PASSWORD).status_code == 302


def test_failed_attempts_are_kept_in_the_database(client, staff, lockout_on):
    for _ in range(3):
        sign_in(client, "dana", "wrong-password")
    assert AccessAttempt.objects.get(username="dana").failures_since_start == 3


def test_a_successful_sign_in_clears_earlier_failures(client, staff, lockout_on):
    for _ in range(9):
        sign_in(client, "dana", "wrong-password")
    sign_in(client, "dana", PASSWORD)
    client.logout()
    sign_in(client, "dana", "wrong-password")
    assert sign_in(client, "dana", PASSWORD).status_code == 302


def test_the_test_client_can_still_sign_in_with_the_lockout_on(client, staff, lockout_on):
    assert client.login(request=HttpRequest(), username="dana", password=PASSWORD)


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


def test_an_idle_session_ends_after_the_configured_minutes(client, staff, settings, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    clock = Clock(monkeypatch)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200

    clock.advance(minutes=settings.SESSION_IDLE_MINUTES, seconds=1)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_an_active_session_is_extended_by_each_request(client, staff, settings, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(staff)
    for _ in range(4):
        clock.advance(minutes=settings.SESSION_IDLE_MINUTES - 1)
        assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("weak", ["short1", "password123456", "12345678901234", "dana-rivera"])
def test_a_weak_new_password_is_refused(weak):
    user = UserFactory(username="dana-rivera", first_name="Dana", last_name="Rivera")
    form = SetPasswordForm(user, {"new_password1": weak, "new_password2": weak})
    assert not form.is_valid()
    assert form.errors["new_password2"]


def test_a_weak_password_is_refused_when_changing_it(staff):
    form = PasswordChangeForm(
        staff, {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"}
    )
    assert not form.is_valid()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_the_admin_refuses_a_weak_password(client, staff):
    client.force_login(staff)
    response = client.post(
        f"/admin/clinic/user/{staff.pk}/password/", {"password1": "qwerty", "password2": "qwerty"}
    )
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
