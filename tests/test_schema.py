"""The OpenAPI schema and its interactive docs."""

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_warning(tmp_path):
    output = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    assert "/api/v1/assessments/{id}/sign/:" in output.read_text()


def schema():
    return APIClient().get("/api/v1/schema/?format=json").json()


def test_nested_writes_are_described():
    components = schema()["components"]["schemas"]
    result = components["TestResultRequest"]["properties"]
    assert components["AssessmentRequest"]["properties"]["results"]["items"]["$ref"].endswith(
        "/TestResultRequest"
    )
    assert result["findings"]["items"]["$ref"].endswith("/StepFindingRequest")
    assert "interpretation" not in result


def test_enumerations_are_described():
    components = schema()["components"]["schemas"]
    assert components["SideEnum"]["enum"] == ["left", "right"]
    assert components["PlanItemSideEnum"]["enum"] == ["left", "right", "both"]
    assert components["InterpretationEnum"]["enum"] == ["positive", "negative", "inconclusive"]


def test_error_responses_are_described():
    operation = schema()["paths"]["/api/v1/assessments/{id}/"]["patch"]
    assert {"400", "401", "403", "404", "409", "412", "428"} <= set(operation["responses"])


def test_the_handout_is_described_as_a_pdf():
    operation = schema()["paths"]["/api/v1/plans/{id}/handout.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]


def test_the_docs_page_loads_its_assets_from_the_apps_own_static_files():
    page = APIClient().get("/api/v1/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in source for source in sources)
    assert all(source.startswith("/") for source in sources), sources
    assert "cdn" not in page.lower()


def test_the_outcome_measures_contract_is_described():
    paths = schema()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/patients/{id}/measures/"])
    assert "/api/v1/instruments/{code}/" in paths
    post = schema()["components"]["schemas"]["MeasureResponseRequest"]["properties"]
    assert {"instrument", "taken_at", "answers", "replaces", "correction_reason"} <= set(post)
