"""The patient's page and API cost the same queries for a plan of one exercise and
sessions as for many (the members' pages are in tests/test_query_counts.py)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from ..factories import (
    PatientFactory,
    PatientLinkFactory,
    PlanFactory,
    PlanItemFactory,
    SessionLogFactory,
    standard_exercise,
)
from .conftest import link_headers

pytestmark = pytest.mark.django_db

SLUGS = [
    "active-hamstring-mobilization",
    "sciatic-seated-slump-slider",
    "tibial-slider",
    "peroneal-slider",
    "median-nerve-slider",
]


def plan_with(clinic, count):
    """A link to a plan of ``count`` exercises, with ``count`` sessions logged today."""
    plan = PlanFactory(
        patient=PatientFactory(clinic=clinic), start_date=timezone.localdate() - datetime.timedelta(5)
    )
    for order, slug in enumerate(SLUGS[:count]):
        PlanItemFactory(plan=plan, exercise=standard_exercise(slug), order=order)
    link = PatientLinkFactory(plan=plan)
    logs = [SessionLogFactory(link=link, pain=8, an_hour_later="worse") for _ in range(count)]
    return link, logs


def queries(send):
    send()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code == 200
    return len(captured)


def page_queries(link, path):
    phone = Client()
    phone.post(link.path, {"birth_year": "1985"})
    return queries(lambda: phone.get(path))


def test_the_patients_page(clinic):
    (one, _), (many, _) = plan_with(clinic, 1), plan_with(clinic, 5)

    assert page_queries(one, one.path) == page_queries(many, many.path)


def test_the_correction_page(clinic):
    (one, [log_one]), (many, logs) = plan_with(clinic, 1), plan_with(clinic, 5)

    assert page_queries(one, f"{one.path}sessions/{log_one.pk}/") == page_queries(
        many, f"{many.path}sessions/{logs[0].pk}/"
    )


def test_the_patients_api(clinic):
    (one, _), (many, _) = plan_with(clinic, 1), plan_with(clinic, 5)

    def api(link):
        return queries(lambda: APIClient().get("/api/v1/portal/plan/", **link_headers(link)))

    assert api(one) == api(many)
