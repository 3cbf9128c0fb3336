"""Schemathesis fuzzes every API operation in-process with a signed-in token, with
data that fits the schema and data that does not: no answer is a server error, and
every answer to an operation on its own matches the schema. A stateful run follows
the links it finds between operations (a created record's id into its reads,
changes, signing and handout) with the same data. Both are bounded so the whole
suite stays well under fifteen minutes per database."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from clinic.models import Membership

from ..api import api_client, slr_payload
from ..factories import member

# Fetching the schema is an API request, throttled in Django's cache; that cache lives
# in the database, which is not open yet while tests are collected.
with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def keep_test_connection(token_header):
    """Requests go through the WSGI handler itself, which closes database connections
    around each request; the test's transaction must outlive them, as Django's own
    test client arranges (and re-arranges after each of its requests, hence after
    ``token_header``)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(clinic, patient):
    admin = member(clinic, Membership.Role.ADMIN, username="fuzzer")
    client = api_client(admin)
    client.post("/api/v1/assessments/", slr_payload(patient), format="json")
    token = client._credentials["HTTP_AUTHORIZATION"]
    return {"Authorization": token}


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_the_api_answers_every_generated_request_within_its_schema(case, token_header, keep_test_connection):
    case.call_and_validate(headers=token_header, checks=[not_a_server_error, response_schema_conformance])


class APIWorkflow(schema.as_state_machine()):
    """Sequences of calls linked by the ids, codes and slugs the API answers."""

    headers = {}

    def get_call_kwargs(self, case):
        return {"headers": self.headers}

    def validate_response(self, response, case, **kwargs):
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"


@pytest.mark.django_db
def test_linked_sequences_of_calls_never_answer_a_server_error(token_header, keep_test_connection):
    APIWorkflow.headers = token_header
    APIWorkflow.run(
        settings=settings(
            max_examples=12,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
