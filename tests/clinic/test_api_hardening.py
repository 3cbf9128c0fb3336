"""The API's defences that do not depend on any one endpoint: expiring tokens,
throttling with ``Retry-After``, and a database outage answered with 503, all in the
one error shape. Tiny views defined here stand in for the API's endpoints."""

import datetime

import pytest
from django.db import OperationalError, connections
from django.db.utils import load_backend
from django.urls import path
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from clinic.throttling import ScopedRateThrottle, UserRateThrottle

from ..factories import UserFactory


class WhoAmI(APIView):
    def get(self, request):
        return Response({"username": request.user.username})


class SignInAttempt(APIView):
    """Throttled like the API's token view: the ``login`` scope."""

    permission_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request):
        return Response({"ok": True})


def unreachable_database():
    """A connection to where no database answers: a closed port for PostgreSQL, a
    directory that does not exist for SQLite."""
    settings_dict = {**connections["default"].settings_dict}
    if settings_dict["ENGINE"].endswith("sqlite3"):
        settings_dict["NAME"] = "/nonexistent-directory/glide.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1", OPTIONS={"connect_timeout": 2})
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="unreachable")


class PatientsWhileTheDatabaseIsDown(APIView):
    def get(self, request):
        database = unreachable_database()
        try:
            with database.cursor() as cursor:
                cursor.execute("SELECT 1")
        finally:
            database.close()
        return Response({})


class QuerysetThatLosesTheConnection(APIView):
    def get(self, request):
        raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("whoami/", WhoAmI.as_view()),
    path("sign-in/", SignInAttempt.as_view()),
    path("database-down/", PatientsWhileTheDatabaseIsDown.as_view()),
    path("connection-lost/", QuerysetThatLosesTheConnection.as_view()),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def api():
    # Server errors are signalled for monitoring; the test reads the response.
    return APIClient(raise_request_exception=False)


def token_issued(user, hours_ago):
    token = Token.objects.create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(hours=hours_ago))
    return token


def test_a_fresh_token_authenticates(api, settings):
    token = token_issued(UserFactory(username="integrator"), hours_ago=settings.TOKEN_TTL_HOURS - 1)
    response = api.get("/whoami/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json() == {"username": "integrator"}


def test_an_expired_token_is_refused_in_the_error_shape(api, settings):
    token = token_issued(UserFactory(), hours_ago=settings.TOKEN_TTL_HOURS)
    response = api.get("/whoami/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "authentication_failed",
                "detail": "The token has expired; obtain a new one.",
                "attr": None,
            }
        ],
    }


def test_a_revoked_token_is_refused(api):
    token = token_issued(UserFactory(), hours_ago=0)
    token.delete()
    response = api.get("/whoami/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_the_token_lifetime_comes_from_the_settings(api, settings):
    settings.TOKEN_TTL_HOURS = 1
    token = token_issued(UserFactory(), hours_ago=2)
    assert api.get("/whoami/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


def test_a_burst_of_sign_in_attempts_is_throttled_with_retry_after(api, settings):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    statuses = [api.post("/sign-in/").status_code for _ in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]

    response = api.post("/sign-in/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "throttled"


def test_every_api_view_is_throttled_per_user(api, monkeypatch):
    # DRF reads the rates once, when the throttle class is defined.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    api.force_authenticate(UserFactory())
    statuses = [api.get("/whoami/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_an_unreachable_database_answers_503_in_the_error_shape(api):
    api.force_authenticate(UserFactory())
    response = api.get("/database-down/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "database_unavailable",
                "detail": "The database is unavailable. Try again shortly.",
                "attr": None,
            }
        ],
    }


def test_a_connection_lost_mid_request_answers_503(api):
    api.force_authenticate(UserFactory())
    response = api.get("/connection-lost/")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "database_unavailable"
