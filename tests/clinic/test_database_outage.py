"""While the database is down, every route answers 503 with ``Retry-After`` in its
own format (the API's error shape, with a token or a session; an OperationOutcome
for FHIR; a styled page for pages), and the development server starts anyway and keeps answering."""

import json
import uuid
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from ..api import api_client
from ..devserver import fetch, runserver
from ..test_isolation import filled, url_routes
from .test_settings import run_python

pytestmark = pytest.mark.django_db

UNAVAILABLE = {
    "type": "server_error",
    "errors": [
        {
            "code": "database_unavailable",
            "detail": "The database is unavailable. Try again shortly.",
            "attr": None,
        }
    ],
}


class KeywordValues(dict):
    """A plausible value for each keyword of an address: a UUID for a record's id,
    "1" for the admin's ids."""

    def __missing__(self, keyword):
        return uuid.uuid4() if keyword.endswith("pk") else "1"


KEYWORD_VALUES = KeywordValues(pk=uuid.uuid4(), patient_pk=uuid.uuid4(), code="SLR", slug="x", format="json")


def every_address():
    """One address per route of the URL configuration (the admin's included)."""
    for route in url_routes():
        address = filled(route.address, KEYWORD_VALUES)
        if "<" in address or "(" in address or "^" in address:
            continue  # the admin's catch-all patterns: covered by its named routes
        yield address


def database_down():
    """Every query fails as it does when the server is unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    return mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=refuse)


def assert_api_outage(response):
    assert response.status_code == 503, response.content[:300]
    assert int(response["Retry-After"]) > 0
    assert response.json() == UNAVAILABLE


def assert_fhir_outage(response):
    assert response.status_code == 503, response.content[:300]
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert [issue["severity"] for issue in outcome["issue"]] == ["fatal"]


def speaks_fhir(address):
    """The FHIR server, and the API's FHIR Patient import."""
    return address.startswith(("/fhir/", "/api/v1/fhir/"))


def assert_page_outage(response):
    assert response.status_code == 503, response.content[:300]
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert b"Glide is unavailable for a moment" in response.content


def test_every_address_is_tried():
    addresses = list(every_address())
    assert "/api/v1/patients/" in addresses
    assert "/" in addresses
    assert len(addresses) > 50


def test_every_route_answers_503_in_its_format_to_a_signed_in_session(clinic_admin):
    client = Client(raise_request_exception=False)
    client.force_login(clinic_admin)
    with database_down():
        for address in every_address():
            response = client.get(address)
            if speaks_fhir(address):
                assert_fhir_outage(response)
            elif address.startswith("/api/"):
                assert_api_outage(response)
            else:
                assert_page_outage(response)


def test_every_api_route_answers_503_in_the_error_shape_to_a_token(clinic_admin):
    client = api_client(clinic_admin)
    client.raise_request_exception = False
    with database_down() as query:
        for address in every_address():
            if (not address.startswith("/api/") and not speaks_fhir(address)) or "auth/token" in address:
                continue
            query.reset_mock()
            response = client.get(address)
            if not query.called:
                continue  # answered without the database (a GET the route never serves)
            if speaks_fhir(address):
                assert_fhir_outage(response)
            else:
                assert_api_outage(response)


def test_writes_and_sign_ins_answer_503_too(clinic_admin, patient):
    api = api_client(clinic_admin)
    api.raise_request_exception = False
    page = Client(raise_request_exception=False, enforce_csrf_checks=False)
    with database_down():
        assert_api_outage(api.post("/api/v1/patients/", {"chart_number": "B-1"}, format="json"))
        assert_api_outage(
            api.post("/api/v1/auth/token/", {"username": "boss", "password": "x"}, format="json")
        )
        assert_page_outage(page.post("/accounts/login/", {"username": "boss", "password": "x"}))


def test_the_development_server_starts_without_its_database_and_answers_503():
    with runserver(DATABASE_URL="postgres://glide@127.0.0.1:1/glide", DEBUG="true") as base:
        status, headers, body = fetch(f"{base}/api/v1/patients/", {"Authorization": "Token " + "a" * 40})
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert json.loads(body) == UNAVAILABLE

        status, headers, body = fetch(f"{base}/", {"Cookie": "sessionid=" + "a" * 32})
        assert status == 503
        assert b"Glide is unavailable for a moment" in body


def test_make_run_learns_whether_the_database_answers_before_it_migrates():
    unreachable = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('database_reachable')",
        DATABASE_URL="postgres://glide@127.0.0.1:1/glide",
    )
    assert unreachable.returncode == 1
    assert "The database is unreachable" in unreachable.stderr
    reachable = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('database_reachable')",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert reachable.returncode == 0, reachable.stderr
