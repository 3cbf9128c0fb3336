"""Input a database cannot store, or a parser should not walk, is refused once at
the boundary (``clinic.boundary``): a 400 in the route's format, nothing written."""

import json

import pytest
from django.test import Client

from assessments.models import Assessment, Plan
from clinic.models import Patient

from ..api import api_client, plan_payload, slr_payload
from ..factories import PatientFactory

pytestmark = pytest.mark.django_db

UNSTORABLE = ["\x00", "\ud800"]


def assert_refused(response, code, attr):
    assert response.status_code == 400, response.content
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": code, "detail": response.json()["errors"][0]["detail"], "attr": attr}],
    }


@pytest.mark.parametrize(
    "url, attr",
    [
        ("/api/v1/patients/?search=Ada%00", "search"),
        ("/api/v1/patients/?chart_number=%00", "chart_number"),
        ("/api/v1/tests/?region=upper%00", "region"),
        ("/api/v1/assessments/?test=SLR%00", "test"),
        ("/api/v1/exercises/?ordering=%00name", "ordering"),
        ("/api/v1/patients/?%00=1", "\x00"),
    ],
)
def test_a_nul_in_a_query_string_is_refused_in_the_error_shape(therapist, url, attr):
    response = api_client(therapist).get(url)
    assert_refused(response, "null_characters_not_allowed", attr)


@pytest.mark.parametrize(
    "url", ["/api/v1/tests/SLR%00/", "/api/v1/exercises/a%00b/", "/api/v1/patients/%00/"]
)
def test_a_nul_in_a_path_is_refused_in_the_error_shape(therapist, url):
    assert_refused(api_client(therapist).get(url), "null_characters_not_allowed", "non_field_errors")


@pytest.mark.parametrize("text", UNSTORABLE)
def test_unstorable_text_in_a_nested_json_body_is_refused_and_nothing_is_written(therapist, patient, text):
    payload = slr_payload(patient)
    payload["results"][0]["findings"][1]["location"] = f"back{text}of thigh"
    body = json.dumps(payload)  # ASCII: a lone surrogate travels as its JSON escape
    response = api_client(therapist).post("/api/v1/assessments/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "results.0.findings.1.location"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda payload: payload["items"][0].update(exercise="active-hamstring-mobilization\x00"),
        lambda payload: payload.update(goals="Sit\x00"),
        lambda payload: payload.update({"\x00": "a key"}),
    ],
)
def test_nul_in_codes_slugs_and_keys_of_a_plan_is_refused(therapist, patient, change):
    payload = plan_payload(patient)
    change(payload)
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "null_characters_not_allowed"
    assert not Plan.objects.exists()


def test_a_json_escaped_lone_surrogate_is_refused(therapist, clinic):
    body = '{"chart_number": "A-1", "given_name": "\\ud800", "family_name": "B"}'
    response = api_client(therapist).post("/api/v1/patients/", body, content_type="application/json")
    assert_refused(response, "surrogate_characters_not_allowed", "given_name")
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/fhir+json", "application/merge-patch+json"]
)
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_json_is_refused_on_every_json_media_type(therapist, content_type, opener):
    closer = "]" if opener == "[" else "}"
    body = opener * 10_000 + "1" + closer * 10_000
    response = api_client(therapist).post("/api/v1/assessments/", body, content_type=content_type)
    assert_refused(response, "too_deep", "non_field_errors")


def test_json_nested_within_the_limit_reaches_the_view(therapist, settings):
    body = json.dumps({"results": [[[[1]]]]})
    response = api_client(therapist).post("/api/v1/assessments/", body, content_type="application/json")
    assert response.status_code == 400
    assert {error["code"] for error in response.json()["errors"]} != {"too_deep"}


def test_brackets_inside_strings_do_not_count_as_nesting(therapist, patient):
    payload = slr_payload(patient)
    payload["complaint"] = "[" * 200 + '{"' * 50
    response = api_client(therapist).post("/api/v1/assessments/", payload, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("field", ["chart_number", "given_name"])
def test_nul_in_a_form_body_to_the_api_is_refused(therapist, clinic, field):
    data = {"chart_number": "A-2", "given_name": "Ada", "family_name": "Byron", "sex": "female"}
    data[field] += "\x00"
    for form in ("multipart", None):
        client = api_client(therapist)
        response = (
            client.post("/api/v1/patients/", data, format="multipart")
            if form
            else client.post(
                "/api/v1/patients/",
                "&".join(f"{k}={v}" for k, v in data.items()).replace("\x00", "%00"),
                content_type="application/x-www-form-urlencoded",
            )
        )
        assert_refused(response, "null_characters_not_allowed", field)
    assert not Patient.objects.exists()


def test_a_ten_megabyte_multipart_body_answers_413_like_a_json_one(therapist):
    client = api_client(therapist)
    big = "x" * (10 * 1024 * 1024)
    multipart = client.post("/api/v1/patients/", {"given_name": big}, format="multipart")
    as_json = client.post("/api/v1/patients/", {"given_name": big}, format="json")
    assert multipart.status_code == as_json.status_code == 413
    assert multipart.json()["errors"][0]["code"] == as_json.json()["errors"][0]["code"] == "request_too_large"


@pytest.mark.parametrize("url", ["/?q=Ada%00", "/patients/new/?next=%00", "/accounts/login/?next=/%00"])
def test_a_page_answers_a_nul_with_a_styled_400_page(therapist, url):
    client = Client()
    client.force_login(therapist)
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"We could not read that request" in response.content


def test_a_nul_in_a_page_form_is_refused_and_nothing_is_written(therapist, clinic):
    client = Client()
    client.force_login(therapist)
    response = client.post(
        "/patients/new/", {"chart_number": "A-3\x00", "given_name": "Ada", "family_name": "B"}
    )
    assert response.status_code == 400
    assert not Patient.objects.exists()


def test_a_nul_in_the_user_agent_is_refused_before_the_audit_trail_stores_it(therapist, patient):
    response = api_client(therapist).get(f"/api/v1/patients/{patient.pk}/", HTTP_USER_AGENT="probe\x00")
    assert response.status_code == 400


def test_honest_text_passes_the_boundary(therapist, clinic):
    PatientFactory(clinic=clinic, family_name="Ñúñez-O'Brien 李")
    response = api_client(therapist).get("/api/v1/patients/?search=Ñúñez-O'Brien 李")
    assert response.status_code == 200
    assert response.json()["count"] == 1
