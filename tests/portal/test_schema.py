"""The schema documents the patient link's routes, with their error responses."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def paths(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/?format=json").json()["paths"]


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/api/v1/plans/{plan_pk}/links/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/plans/{plan_pk}/links/", "post", {"201", "400", "401", "403", "404"}),
        ("/api/v1/plans/{plan_pk}/links/{id}/revoke/", "post", {"200", "401", "403", "404"}),
        ("/api/v1/plans/{plan_pk}/adherence/", "get", {"200", "401", "403", "404"}),
        ("/api/v1/portal/plan/", "get", {"200", "403", "404", "429"}),
        ("/api/v1/portal/sessions/", "post", {"201", "400", "403", "404", "429"}),
    ],
)
def test_each_route_is_described_with_its_errors(paths, path, method, statuses):
    assert statuses <= set(paths[path][method]["responses"])


def test_the_patient_routes_name_their_headers_and_need_no_token(paths):
    operation = paths["/api/v1/portal/sessions/"]["post"]

    assert {"Authorization", "X-Birth-Year"} <= {parameter["name"] for parameter in operation["parameters"]}
    assert operation.get("security") in ([], [{}], None)


def test_the_adherence_payload_is_described(paths):
    schema = paths["/api/v1/plans/{plan_pk}/adherence/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]

    assert schema["schema"]["$ref"].endswith("/Adherence")
