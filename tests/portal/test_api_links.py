"""The clinic's side of the API: a plan's links and what the patient logged."""

import pytest

from clinic.models import AuditEvent
from portal.models import PatientLink, SessionItem

from ..api import api_client
from ..factories import AlertFactory, SessionLogFactory

pytestmark = pytest.mark.django_db


def links_url(plan):
    return f"/api/v1/plans/{plan.pk}/links/"


def test_a_therapist_makes_a_link_for_a_plan(plan, therapist):
    response = api_client(therapist).post(links_url(plan), {}, format="json")

    assert response.status_code == 201
    body = response.json()
    link = PatientLink.objects.get(pk=body["id"])
    assert set(body) == {"id", "url", "expires_at", "revoked_at", "created_at"}
    assert body["url"] == f"http://testserver/p/{link.secret}/"
    assert body["revoked_at"] is None


def test_the_clinic_may_set_the_expiry(plan, therapist):
    response = api_client(therapist).post(
        links_url(plan), {"expires_at": "2099-01-31T12:00:00Z"}, format="json"
    )

    assert response.json()["expires_at"] == "2099-01-31T12:00:00Z"


def test_an_expiry_in_the_past_is_refused(plan, therapist):
    response = api_client(therapist).post(
        links_url(plan), {"expires_at": "2001-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "expires_at"
    assert not PatientLink.objects.exists()


def test_a_patient_without_a_date_of_birth_gets_no_link(plan, therapist):
    plan.patient.date_of_birth = None
    plan.patient.save()

    response = api_client(therapist).post(links_url(plan), {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "plan"


def test_a_plans_links_are_listed_and_the_read_audited(link, therapist):
    response = api_client(therapist).get(links_url(link.plan))

    assert [entry["id"] for entry in response.json()] == [str(link.pk)]
    assert AuditEvent.objects.filter(
        action="view", object_id=str(link.plan.pk), detail__part="links"
    ).exists()


def test_revoking_a_link_ends_it_at_once(link, therapist):
    response = api_client(therapist).post(f"{links_url(link.plan)}{link.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    link.refresh_from_db()
    assert link.ended_reason() == PatientLink.EndReason.REVOKED


def test_a_viewer_cannot_make_a_link_and_the_refusal_is_recorded(plan, viewer):
    response = api_client(viewer).post(links_url(plan), {}, format="json")

    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="denied", object_id=str(plan.pk)).count() == 1
    assert not PatientLink.objects.exists()


def test_another_clinics_therapist_finds_no_plan(plan, outsider):
    client = api_client(outsider)

    assert client.get(links_url(plan)).status_code == 404
    assert client.post(links_url(plan), {}, format="json").status_code == 404
    assert client.get(f"/api/v1/plans/{plan.pk}/adherence/").status_code == 404


def test_adherence_counts_sessions_against_the_plans_dose(link, therapist):
    SessionLogFactory(link=link, pain=7, an_hour_later="worse")
    AlertFactory(session_log=SessionLogFactory(link=link, pain=8))

    body = api_client(therapist).get(f"/api/v1/plans/{link.plan.pk}/adherence/").json()

    assert set(body) == {"weeks", "sessions", "alerts"}
    assert set(body["weeks"][0]) == {"week_start", "prescribed", "logged", "rate"}
    assert sum(week["logged"] for week in body["weeks"]) == 2
    assert set(body["sessions"][0]) == {"id", "date", "items", "pain", "an_hour_later", "note"}
    assert body["sessions"][0]["items"][0]["done"] == "yes"
    assert [(alert["kind"], alert["acknowledged_at"]) for alert in body["alerts"]] == [("pain", None)]


def test_a_plan_stays_editable_after_sessions_were_logged_and_keeps_their_exercises(link, therapist):
    SessionLogFactory(link=link)
    items = [{"exercise": "tibial-slider", "sets": 1, "reps": 10, "times_per_day": 1, "days_per_week": 7}]

    response = api_client(therapist).patch(
        f"/api/v1/plans/{link.plan.pk}/", {"items": items}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200, response.json()
    kept = SessionItem.objects.values_list("exercise__slug", "plan_item")
    assert sorted(kept) == [("active-hamstring-mobilization", None), ("sciatic-seated-slump-slider", None)]
