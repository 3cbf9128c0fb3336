"""Signing in to the API, and what answers without signing in."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic.models import AuditEvent

from ..api import api_client
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_a_username_and_password_get_a_token_that_works(therapist, patient):
    response = APIClient().post(TOKEN_URL, {"username": "thera", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/patients/").json()["count"] == 1


def test_a_wrong_password_gets_no_token(therapist):
    response = APIClient().post(TOKEN_URL, {"username": "thera", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert not Token.objects.exists()


def test_sign_in_attempts_are_throttled(therapist):
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": "thera", "password": "wrong"}, format="json").status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    last = client.post(TOKEN_URL, {"username": "thera", "password": "wrong"}, format="json")
    assert last.json()["errors"][0]["code"] == "throttled"
    assert last["Retry-After"]


def test_delete_revokes_the_callers_token(therapist):
    client = api_client(therapist)
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=therapist).exists()
    assert client.get("/api/v1/patients/").status_code == 401


def test_a_session_signs_in_too(therapist, patient):
    client = APIClient()
    client.force_login(therapist)
    assert client.get("/api/v1/patients/").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/api/v1/", "/api/v1/clinics/", "/api/v1/patients/", "/api/v1/tests/", "/api/v1/tests/SLR/",
     "/api/v1/exercises/", "/api/v1/assessments/", "/api/v1/plans/"],
)  # fmt: skip
def test_nothing_is_readable_anonymously(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_a_bad_token_answers_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/patients/").status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_the_schema_and_docs_are_readable_anonymously(db, url):
    assert APIClient().get(url).status_code == 200


def issued_hours_ago(user, hours):
    token, _ = Token.objects.get_or_create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(hours=hours))
    return token.key


def ask_for_a_token():
    return APIClient().post(TOKEN_URL, {"username": "thera", "password": PASSWORD}, format="json")


def test_asking_again_for_a_valid_token_hands_back_the_same_key(therapist, settings):
    key = issued_hours_ago(therapist, settings.TOKEN_TTL_HOURS - 1)
    assert ask_for_a_token().json()["token"] == key
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN).detail == {
        "via": "api-token",
        "token": "existing",
    }


def test_an_expired_token_is_replaced_by_a_new_key_that_works(therapist, patient, settings):
    expired = issued_hours_ago(therapist, settings.TOKEN_TTL_HOURS)

    response = ask_for_a_token()

    assert response.status_code == 200
    key = response.json()["token"]
    assert key != expired
    assert not Token.objects.filter(key=expired).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/patients/").json()["count"] == 1


def test_replacing_an_expired_token_is_in_the_audit_trail(therapist, settings):
    issued_hours_ago(therapist, settings.TOKEN_TTL_HOURS + 5)
    ask_for_a_token()
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert (event.actor, event.detail) == (therapist, {"via": "api-token", "token": "renewed"})


def test_a_wrong_password_does_not_replace_an_expired_token(therapist, settings):
    expired = issued_hours_ago(therapist, settings.TOKEN_TTL_HOURS)
    APIClient().post(TOKEN_URL, {"username": "thera", "password": "wrong"}, format="json")
    assert Token.objects.get(user=therapist).key == expired


def test_a_locked_account_answers_429_even_with_the_right_password(therapist, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    for _ in range(3):
        client.post(TOKEN_URL, {"username": "thera", "password": "wrong"}, format="json")

    response = client.post(TOKEN_URL, {"username": "thera", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "locked_out"
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert not Token.objects.exists()
