"""The OpenAPI schema and its interactive docs."""

import functools
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_warning(tmp_path):
    output = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    assert "/api/v1/assessments/{id}/sign/:" in output.read_text()


@functools.cache
def schema():
    """Generated once for the module: every test reads the same document."""
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


def operation(path, method):
    return schema()["paths"][path][method]


def header(op, name):
    return next((p for p in op.get("parameters", []) if p["in"] == "header" and p["name"] == name), None)


def error_codes_for(document, op, status, attr):
    """Every code the schema lets ``op`` answer with ``status`` for ``attr``."""
    components = document["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = components[node["$ref"].split("/")[-1]]
        return node

    codes = set()
    pending = [op["responses"][status]["content"]["application/json"]["schema"]]
    while pending:
        node = resolve(pending.pop())
        pending.extend(node.get("oneOf", []) + node.get("anyOf", []))
        properties = node.get("properties", {})
        if "errors" in properties:
            pending.append(properties["errors"]["items"])
        if "code" in properties and "attr" in properties:
            named = properties["attr"].get("enum") or []
            pattern = properties["attr"].get("pattern")
            if attr in named or (pattern and re.match(pattern, attr)) or (not named and not pattern):
                codes.update(resolve(properties["code"]).get("enum", []))
    return codes


@pytest.mark.parametrize("path", ["/api/v1/assessments/{id}/", "/api/v1/plans/{id}/"])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_if_match_is_a_required_parameter_where_its_absence_answers_428(path, method):
    op = operation(path, method)
    assert header(op, "If-Match")["required"] is True
    assert {"412", "428"} <= set(op["responses"])


@pytest.mark.parametrize(
    "path, method",
    [
        ("/api/v1/patients/{id}/", "patch"),
        ("/api/v1/patients/{id}/", "delete"),
        ("/api/v1/clinics/{id}/", "put"),
        ("/api/v1/tests/{code}/", "patch"),
        ("/api/v1/assessments/{id}/", "delete"),
        ("/api/v1/assessments/{id}/sign/", "post"),
    ],
)
def test_if_match_is_an_optional_parameter_where_a_stale_one_answers_412(path, method):
    op = operation(path, method)
    assert header(op, "If-Match").get("required", False) is False
    assert "412" in op["responses"]
    assert "428" not in op["responses"]


@pytest.mark.parametrize(
    "path, method",
    [
        ("/api/v1/assessments/", "post"),
        ("/api/v1/assessments/{id}/", "patch"),
        ("/api/v1/plans/", "post"),
        ("/api/v1/tests/", "post"),
        ("/api/v1/exercises/{slug}/", "put"),
    ],
)
def test_nested_bodies_are_json_only(path, method):
    assert set(operation(path, method)["requestBody"]["content"]) == {"application/json"}


def test_flat_bodies_may_still_be_forms():
    assert (
        "application/x-www-form-urlencoded"
        in operation("/api/v1/patients/", "post")["requestBody"]["content"]
    )


def test_every_operation_may_answer_503_and_every_body_413():
    for path, operations in schema()["paths"].items():
        for method, op in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            assert "503" in op["responses"], f"{method} {path}"
            if method in ("post", "put", "patch"):
                assert "413" in op["responses"], f"{method} {path}"


@pytest.mark.parametrize(
    "path, method, attr, code",
    [
        ("/api/v1/patients/", "get", "search", "null_characters_not_allowed"),
        ("/api/v1/assessments/", "get", "performed_at_after", "surrogate_characters_not_allowed"),
        ("/api/v1/plans/{id}/handout.pdf", "get", "paper", "null_characters_not_allowed"),
        ("/api/v1/plans/{id}/handout.pdf", "get", "items", "too_large"),
        ("/api/v1/patients/{id}/", "get", "non_field_errors", "null_characters_not_allowed"),
        ("/api/v1/assessments/", "post", "non_field_errors", "too_deep"),
        ("/api/v1/assessments/", "post", "results.0.findings.1.location", "null_characters_not_allowed"),
        ("/api/v1/plans/", "post", "items.non_field_errors", "max_length"),
        ("/api/v1/plans/", "post", "items", "invalid"),
        ("/api/v1/patients/", "post", "chart_number", "unique"),
    ],
)
def test_the_error_codes_include_every_code_the_api_sends(path, method, attr, code):
    document = schema()
    assert code in error_codes_for(document, document["paths"][path][method], "400", attr)


def test_the_503_is_described_with_its_code():
    document = schema()
    op = document["paths"]["/api/v1/patients/"]["get"]
    assert error_codes_for(document, op, "503", "anything") == {"database_unavailable"}


def test_the_outcome_measures_contract_is_described():
    paths = schema()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/patients/{id}/measures/"])
    assert "/api/v1/instruments/{code}/" in paths
    post = schema()["components"]["schemas"]["MeasureResponseRequest"]["properties"]
    assert {"instrument", "taken_at", "answers", "replaces", "correction_reason"} <= set(post)
