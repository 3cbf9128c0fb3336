"""Plans, their handouts, and a patient's progress over the API."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.serializers import Serializer

from assessments.models import HandoutPrint, Plan
from assessments.progress import progress_series
from assessments.serializers import ProgressSerializer
from clinic.models import AuditEvent

from ..api import api_client, audit_actions, error_attrs, plan_payload, slr_payload
from ..factories import PlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/"


@pytest.fixture
def plan(therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    return plan


def test_a_plan_is_created_with_its_items(therapist, patient):
    response = api_client(therapist).post(URL, plan_payload(patient), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["ETag"] == '"1"'
    assert [(item["exercise"], item["order"]) for item in body["items"]] == [
        ("active-hamstring-mobilization", 1)
    ]
    assert body["therapist"]["id"] == str(therapist.pk)


def test_an_unknown_exercise_is_refused_and_nothing_written(therapist, patient):
    payload = plan_payload(patient)
    payload["items"][0]["exercise"] = "no-such-exercise"
    response = api_client(therapist).post(URL, payload, format="json")
    assert response.status_code == 400
    assert error_attrs(response) == {"items.0.exercise"}
    assert not Plan.objects.exists()


def test_a_review_before_the_start_is_refused(therapist, patient):
    payload = {**plan_payload(patient), "review_date": "2026-11-01"}
    response = api_client(therapist).post(URL, payload, format="json")
    assert response.status_code == 400
    assert error_attrs(response) == {"review_date"}


def test_a_plan_changes_with_its_etag(therapist, plan):
    response = api_client(therapist).patch(
        f"{URL}{plan.pk}/", {"status": "stopped"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    plan.refresh_from_db()
    assert plan.status == "stopped"


def test_a_plan_change_without_if_match_answers_428(therapist, plan):
    response = api_client(therapist).patch(f"{URL}{plan.pk}/", {"goals": "Run"}, format="json")
    assert response.status_code == 428


def test_a_plan_change_with_a_stale_if_match_answers_412(therapist, plan):
    response = api_client(therapist).patch(
        f"{URL}{plan.pk}/", {"goals": "Run"}, format="json", HTTP_IF_MATCH='"3"'
    )
    assert response.status_code == 412
    plan.refresh_from_db()
    assert plan.goals != "Run"


def test_plans_are_never_deleted(therapist, plan):
    assert api_client(therapist).delete(f"{URL}{plan.pk}/").status_code == 405
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_the_handout_is_a_pdf_with_a_filename(therapist, plan):
    response = api_client(therapist).get(f"{URL}{plan.pk}/handout.pdf?paper=a4")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="home-exercises-' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert "hamstring" in " ".join(page.extract_text() for page in reader.pages).lower()
    assert HandoutPrint.objects.get().paper_size == "a4"
    assert audit_actions() == ["print"]


def test_a_handout_on_unknown_paper_is_refused_as_json(therapist, plan):
    response = api_client(therapist).get(
        f"{URL}{plan.pk}/handout.pdf?paper=scroll", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "paper"
    assert not HandoutPrint.objects.exists()


def test_a_head_request_for_the_handout_prints_nothing(therapist, plan):
    response = api_client(therapist).head(f"{URL}{plan.pk}/handout.pdf")
    assert response.status_code == 405
    assert not HandoutPrint.objects.exists()
    assert "print" not in audit_actions()


def record_visit(client, patient, performed_at, left_onset):
    payload = slr_payload(patient)
    payload["performed_at"] = performed_at.isoformat()
    payload["results"][0]["range_at_onset_deg"] = left_onset
    payload["results"][0]["range_at_max_deg"] = left_onset + 10
    assert client.post("/api/v1/assessments/", payload, format="json").status_code == 201


def test_progress_follows_each_test_and_side_over_visits(therapist, patient):
    client = api_client(therapist)
    first = timezone.now() - datetime.timedelta(days=14)
    record_visit(client, patient, first, 45)
    record_visit(client, patient, first + datetime.timedelta(days=7), 60)
    before = AuditEvent.objects.count()
    body = client.get(f"/api/v1/patients/{patient.pk}/progress/?test=SLR").json()
    left, right = body["series"]
    assert (left["test"], left["side"], right["side"]) == ("SLR", "left", "right")
    assert [point["range_at_onset_deg"] for point in left["points"]] == [45, 60]
    assert [point["worst_intensity"] for point in left["points"]] == [6, 6]
    assert [point["interpretation"] for point in right["points"]] == ["negative", "negative"]
    assert AuditEvent.objects.count() == before + 1


def test_progress_shows_the_override(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1].update(interpretation_override="positive", override_reason="Reproduces at rest")
    client = api_client(therapist)
    client.post("/api/v1/assessments/", payload, format="json")
    series = client.get(f"/api/v1/patients/{patient.pk}/progress/").json()["series"]
    assert series[1]["points"][0]["interpretation"] == "positive"


def test_progress_is_shown_as_its_fields_show_it_in_any_time_zone(therapist, patient):
    payload = slr_payload(patient)
    payload["results"][1]["range_at_onset_deg"] = None
    api_client(therapist).post("/api/v1/assessments/", payload, format="json")
    progress = {"series": progress_series(patient)}
    serializer = ProgressSerializer()
    for zone in ("UTC", "America/Denver", "Asia/Kolkata"):
        with timezone.override(zone):
            fast = serializer.to_representation(progress)
            assert fast == Serializer.to_representation(serializer, progress)
    points = [point for series in progress["series"] for point in series["points"]]
    assert None in {point["range_at_onset_deg"] for point in points}


def test_progress_costs_the_same_queries_however_many_visits(therapist, patient):
    client = api_client(therapist)
    start = timezone.now() - datetime.timedelta(days=30)
    record_visit(client, patient, start, 40)
    url = f"/api/v1/patients/{patient.pk}/progress/"
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for week in range(1, 4):
        record_visit(client, patient, start + datetime.timedelta(days=7 * week), 40 + week)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert len(body["series"][0]["points"]) == 4
    assert len(many) == len(one)
