"""Signing in to the API, and what answers without signing in."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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
