"""The patient's side of the API: the link's secret and the year of birth open
the plan; a session is logged; anything wrong is refused, throttled and traced."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from clinic.models import AuditEvent
from portal.models import SessionLog

from ..factories import PatientLinkFactory, PlanItemFactory, SessionLogFactory
from ..pages import mentions
from .conftest import link_headers, session_payload

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/portal/plan/"
SESSIONS = "/api/v1/portal/sessions/"


def test_the_plan_shows_the_first_name_and_the_exercises_and_nothing_of_the_chart(link):
    response = APIClient().get(PLAN, **link_headers(link))

    assert response.status_code == 200
    body = response.json()
    patient = link.plan.patient
    assert body["given_name"] == patient.given_name
    assert [item["id"] for item in body["items"]] == [
        str(item.pk) for item in link.plan.items.order_by("order")
    ]
    assert body["items"][0]["movements"][0]["steps"]
    text = response.content.decode()
    for private in (patient.family_name, patient.chart_number, "1985-03-02", str(patient.pk)):
        assert private not in text


def test_each_read_is_audited_with_the_link_as_the_actor(link):
    APIClient().get(PLAN, **link_headers(link))

    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.actor_description) == (None, f"Patient link {str(link.pk)[:8]}")
    assert (event.patient, event.clinic, event.detail["link"]) == (
        link.plan.patient,
        link.clinic,
        str(link.pk),
    )


def test_a_wrong_year_is_refused_and_recorded(link):
    response = APIClient().get(PLAN, **link_headers(link, year=1990))

    assert response.status_code == 403
    event = AuditEvent.objects.get()
    assert (event.action, event.detail["reason"], event.patient) == (
        "denied",
        "wrong_birth_year",
        link.plan.patient,
    )


def test_an_unknown_secret_is_not_found_and_recorded():
    response = APIClient().get(
        PLAN, HTTP_AUTHORIZATION="PatientLink not-a-real-secret", HTTP_X_BIRTH_YEAR="1985"
    )

    assert response.status_code == 404
    assert AuditEvent.objects.get().detail["reason"] == "unknown"


def test_a_revoked_link_is_not_found_at_once(link, therapist):
    link.revoke(by=therapist)

    assert APIClient().get(PLAN, **link_headers(link)).status_code == 404
    assert (
        APIClient()
        .post(SESSIONS, session_payload(link.plan), format="json", **link_headers(link))
        .status_code
        == 404
    )


def test_wrong_years_are_throttled_per_link_even_for_the_right_year_after(link, settings):
    client = APIClient()
    for _ in range(settings.GLIDE_PORTAL_LINK_FAILURE_LIMIT):
        assert client.get(PLAN, **link_headers(link, year=1900)).status_code == 403

    response = client.get(PLAN, **link_headers(link))

    assert response.status_code == 429
    assert "Retry-After" in response
    assert AuditEvent.objects.filter(action="denied", detail__reason="throttled").count() == 1


def test_wrong_secrets_are_throttled_per_address(link, settings):
    settings.GLIDE_PORTAL_ADDRESS_FAILURE_LIMIT = 3
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    for attempt in range(3):
        client.get(PLAN, HTTP_AUTHORIZATION=f"PatientLink guess-{attempt}", HTTP_X_BIRTH_YEAR="1985")

    assert client.get(PLAN, **link_headers(link)).status_code == 429
    assert APIClient(REMOTE_ADDR="198.51.100.8").get(PLAN, **link_headers(link)).status_code == 200


def test_a_session_is_logged(link):
    response = APIClient().post(SESSIONS, session_payload(link.plan), format="json", **link_headers(link))

    assert response.status_code == 201, response.json()
    log = SessionLog.objects.get()
    assert (log.pain, log.an_hour_later, log.link) == (3, "same", link)
    assert log.items.count() == 2
    assert (
        AuditEvent.objects.filter(action="create", object_type="sessionlog", actor__isnull=True).count() == 1
    )


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"date": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()}, "date"),
        ({"pain": 11}, "pain"),
        ({"an_hour_later": "awful"}, "an_hour_later"),
        ({"items": []}, "items"),
        ({"note": "x" * 501}, "note"),
    ],
    ids=["future", "before the plan", "pain over 10", "unknown feeling", "no exercise", "long note"],
)
def test_bad_input_is_a_400_that_writes_nothing(link, change, attr):
    response = APIClient().post(
        SESSIONS, session_payload(link.plan, **change), format="json", **link_headers(link)
    )

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert response.json()["errors"][0]["attr"] == attr
    assert not SessionLog.objects.exists()


def test_an_exercise_of_another_plan_is_a_400(link):
    other_item = PlanItemFactory()  # of another patient's plan
    items = [{"exercise": str(other_item.pk), "done": "yes"}]

    response = APIClient().post(
        SESSIONS, session_payload(link.plan, items=items), format="json", **link_headers(link)
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "items.0.exercise"
    assert not SessionLog.objects.exists()


def test_one_link_never_reads_another_plan(link):
    other = PatientLinkFactory(plan=PlanItemFactory().plan)
    SessionLogFactory(link=other, note="Someone else's note")

    body = APIClient().get(PLAN, **link_headers(link)).content.decode()

    assert "Someone else's note" not in body
    assert not mentions(body, other.plan.patient.given_name)


# --- Changing a session of today -----------------------------------------------------------


def test_a_session_of_today_is_changed_over_the_api(link):
    log = SessionLogFactory(link=link, pain=6, date=link.clinic.today())

    response = APIClient().put(
        f"{SESSIONS}{log.pk}/", session_payload(link.plan, pain=2), format="json", **link_headers(link)
    )

    assert response.status_code == 200
    assert response.json()["pain"] == 2
    log.refresh_from_db()
    assert log.pain == 2


def test_a_session_of_an_earlier_day_is_not_changed(link):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    log = SessionLogFactory(link=link, pain=6, date=yesterday)

    response = APIClient().put(
        f"{SESSIONS}{log.pk}/",
        session_payload(link.plan, pain=2, date=yesterday.isoformat()),
        format="json",
        **link_headers(link),
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "date"
    log.refresh_from_db()
    assert log.pain == 6


def test_another_links_session_is_not_found(link):
    other = SessionLogFactory(link=PatientLinkFactory(plan=PlanItemFactory().plan), pain=6)

    response = APIClient().put(
        f"{SESSIONS}{other.pk}/", session_payload(link.plan, pain=2), format="json", **link_headers(link)
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.pain == 6


def test_a_change_is_audited_as_an_update_by_the_link(link):
    log = SessionLogFactory(link=link, pain=6, date=link.clinic.today())

    APIClient().put(
        f"{SESSIONS}{log.pk}/", session_payload(link.plan, pain=2), format="json", **link_headers(link)
    )

    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id, event.actor) == ("update", str(log.pk), None)
