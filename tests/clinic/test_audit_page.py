"""A clinic admin reads a patient's audit history in the web app, filters it and
downloads it as CSV; no one else does, and reading it is itself recorded."""

import csv
import datetime
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.audit import record
from clinic.models import AuditEvent, Membership

from ..factories import PatientFactory, member

pytestmark = pytest.mark.django_db


def from_browser(user, agent="Firefox/140", ip="203.0.113.9"):
    return types.SimpleNamespace(
        user=user, method="GET", path="/", META={"HTTP_USER_AGENT": agent, "REMOTE_ADDR": ip}
    )


def event_on(patient, user, action, **detail):
    return record(from_browser(user), action, patient, **detail)


def event_days_ago(patient, user, days):
    """Events never change, so an older one is written with its moment."""
    event = AuditEvent(
        at=timezone.now() - datetime.timedelta(days=days),
        actor=user,
        actor_username=user.username,
        clinic=patient.clinic,
        patient=patient,
        action=AuditEvent.Action.UPDATE,
        object_type="patient",
        object_id=str(patient.pk),
    )
    event.save()
    return event


def read_csv(response):
    return list(csv.DictReader(b"".join(response.streaming_content).decode().splitlines()))


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


@pytest.fixture
def history(patient, therapist):
    """A creation and a change by the therapist, and a read of another patient."""
    event_on(patient, therapist, AuditEvent.Action.CREATE)
    event_on(patient, therapist, AuditEvent.Action.UPDATE, fields=["phone"])
    neighbour = PatientFactory(clinic=patient.clinic, chart_number="B-1", family_name="Neighbour")
    event_on(neighbour, therapist, AuditEvent.Action.VIEW)


def row_texts(response):
    body = response.text
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    return rows.split("<tr>")[1:]


def test_an_admin_reads_the_patients_history_newest_first(admin_client, patient, therapist, history):
    therapist.first_name, therapist.last_name = "Sam", "Rivera"
    therapist.save()

    response = admin_client.get(reverse("patient-audit", args=[patient.pk]))

    assert response.status_code == 200
    rows = row_texts(response)
    assert len(rows) == 3  # the admin's own read, then the update and the creation
    assert "Viewed" in rows[0] and "boss" in rows[0]
    assert "Updated" in rows[1] and "Sam Rivera" in rows[1] and "thera" in rows[1]
    assert "203.0.113.9" in rows[1] and "Firefox/140" in rows[1]
    assert "fields:</span> phone" in rows[1]
    assert "Created" in rows[2]
    assert "Neighbour" not in response.text


def test_the_table_has_a_caption_and_header_scopes(admin_client, patient, history):
    response = admin_client.get(reverse("patient-audit", args=[patient.pk]))

    assert "<caption" in response.text
    assert response.text.count('<th scope="col">') == 7
    assert '<th scope="row"><time datetime=' in response.text


def test_times_are_shown_in_the_clinics_local_time(admin_client, patient, therapist):
    patient.clinic.time_zone = "America/New_York"
    patient.clinic.save()
    event = event_on(patient, therapist, AuditEvent.Action.UPDATE)

    response = admin_client.get(reverse("patient-audit", args=[patient.pk]))

    local = timezone.localtime(event.at, patient.clinic.zone)
    assert f"{local:%b} {local.day}, {local:%Y %H:%M}" in response.text


def test_reading_the_history_leaves_one_view_event(admin_client, clinic_admin, patient, history):
    before = AuditEvent.objects.count()

    admin_client.get(reverse("patient-audit", args=[patient.pk]), HTTP_USER_AGENT="Safari/18")

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.actor, event.patient, event.detail, event.user_agent) == (
        "view",
        clinic_admin,
        patient,
        {"part": "audit"},
        "Safari/18",
    )


def test_the_chart_links_to_the_history_for_admins_only(client, patient, clinic_admin, therapist, viewer):
    link = reverse("patient-audit", args=[patient.pk])
    shown = {}
    for user in (clinic_admin, therapist, viewer):
        client.force_login(user)
        shown[user.username] = link in client.get(reverse("patient-chart", args=[patient.pk])).text

    assert shown == {"boss": True, "thera": False, "reader": False}


@pytest.mark.parametrize("name", ["patient-audit", "patient-audit-csv"])
@pytest.mark.parametrize("role", [Membership.Role.THERAPIST, Membership.Role.VIEWER])
def test_other_members_of_the_clinic_are_refused_and_the_refusal_is_recorded(
    client, clinic, patient, history, role, name
):
    colleague = member(clinic, role)
    client.force_login(colleague)
    before = AuditEvent.objects.count()

    response = client.get(reverse(name, args=[patient.pk]))

    assert response.status_code == 403
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.actor, event.patient, event.status_code, event.detail) == (
        "denied",
        colleague,
        patient,
        403,
        {"part": "audit"},
    )


@pytest.mark.parametrize("name", ["patient-audit", "patient-audit-csv"])
def test_an_admin_of_another_clinic_finds_no_such_patient(client, other_clinic, patient, history, name):
    client.force_login(member(other_clinic, Membership.Role.ADMIN))
    before = AuditEvent.objects.count()

    response = client.get(reverse(name, args=[patient.pk]))

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_history_is_filtered_by_action(admin_client, patient, history):
    response = admin_client.get(reverse("patient-audit", args=[patient.pk]), {"action": "update"})

    rows = row_texts(response)
    assert len(rows) == 1 and "Updated" in rows[0]
    assert '<option value="update" selected>' in response.text


def test_the_history_is_filtered_by_a_range_of_days_both_ends_included(admin_client, patient, therapist):
    for days in (10, 5, 2):
        event_days_ago(patient, therapist, days)
    today = timezone.localdate()

    response = admin_client.get(
        reverse("patient-audit", args=[patient.pk]),
        {
            "since": (today - datetime.timedelta(days=5)).isoformat(),
            "until": (today - datetime.timedelta(days=2)).isoformat(),
        },
    )

    assert len(row_texts(response)) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "2026-13-40"}, "Enter a valid date."),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "The end of the range is before its start."),
        ({"until": "9999-12-31"}, "Ensure this value is less than or equal to 2999-12-31."),
        ({"action": "teleport"}, "Select a valid choice."),
    ],
)
def test_a_bad_filter_is_shown_beside_its_field(admin_client, patient, history, query, message):
    response = admin_client.get(reverse("patient-audit", args=[patient.pk]), query)

    assert response.status_code == 200
    assert message in response.text
    assert "Correct the filter to see the history." in response.text
    assert reverse("patient-audit-csv", args=[patient.pk]) not in response.text


def test_the_history_comes_in_pages_of_fifty(admin_client, patient, therapist):
    for _ in range(60):
        event_on(patient, therapist, AuditEvent.Action.VIEW)

    first = admin_client.get(reverse("patient-audit", args=[patient.pk]), {"action": "view"})
    second = admin_client.get(reverse("patient-audit", args=[patient.pk]), {"action": "view", "page": 2})

    assert len(row_texts(first)) == 50
    assert "Page 1 of 2" in first.text
    assert "?action=view&amp;page=2" in first.text
    assert len(row_texts(second)) == 12  # ten more, and the two reads of the history


def test_the_page_costs_the_same_queries_whatever_the_number_of_rows(admin_client, patient, clinic):
    def queries_for_the_page():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("patient-audit", args=[patient.pk])).status_code == 200
        return len(queries)

    few = queries_for_the_page()
    for number in range(40):
        event_on(patient, member(clinic, username=f"colleague{number}"), AuditEvent.Action.VIEW)

    assert queries_for_the_page() == few


def test_what_a_browser_sent_is_shown_as_text(admin_client, patient, therapist):
    record(from_browser(therapist, agent="<script>alert(1)</script>"), AuditEvent.Action.VIEW, patient)

    response = admin_client.get(reverse("patient-audit", args=[patient.pk]))

    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text


def test_the_csv_link_keeps_the_filter(admin_client, patient, history):
    response = admin_client.get(
        reverse("patient-audit", args=[patient.pk]), {"action": "update", "since": "2026-01-01", "page": 1}
    )

    csv_url = reverse("patient-audit-csv", args=[patient.pk])
    assert f'href="{csv_url}?action=update&amp;since=2026-01-01"' in response.text


def test_an_admin_downloads_the_history_as_csv(admin_client, patient, history):
    response = admin_client.get(reverse("patient-audit-csv", args=[patient.pk]))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="audit-{patient.pk}.csv"'
    assert [row["action"] for row in read_csv(response)] == ["export", "update", "create"]


def test_the_csv_download_follows_the_filter(admin_client, patient, history):
    response = admin_client.get(reverse("patient-audit-csv", args=[patient.pk]), {"action": "update"})

    assert [row["action"] for row in read_csv(response)] == ["update"]


def test_downloading_the_csv_leaves_one_export_event(admin_client, clinic_admin, patient, history):
    before = AuditEvent.objects.count()

    admin_client.get(reverse("patient-audit-csv", args=[patient.pk]))

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.actor, event.patient, event.detail) == (
        "export",
        clinic_admin,
        patient,
        {"part": "audit", "format": "csv"},
    )


def test_a_csv_asked_for_with_a_bad_filter_is_refused_and_nothing_is_exported(admin_client, patient):
    before = AuditEvent.objects.count()

    response = admin_client.get(reverse("patient-audit-csv", args=[patient.pk]), {"since": "yesterday"})

    assert response.status_code == 400
    assert AuditEvent.objects.count() == before
