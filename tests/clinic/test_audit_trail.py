"""A clinic admin reads a patient's audit history and exports it as CSV: only their
own clinics' events, newest first, streamed row by row, safe to open in a
spreadsheet."""

import csv
import datetime
import types

import pytest
from django.http import StreamingHttpResponse

from clinic.audit import iter_csv, record
from clinic.models import AuditEvent, Membership

from ..factories import PatientFactory, member

pytestmark = pytest.mark.django_db


def request_from(user, agent="Firefox/140", ip="203.0.113.9"):
    return types.SimpleNamespace(
        user=user, method="GET", path="/patients/", META={"HTTP_USER_AGENT": agent, "REMOTE_ADDR": ip}
    )


def read_csv(events):
    return list(csv.reader("".join(iter_csv(events)).splitlines()))


def test_a_patients_history_holds_only_their_events_newest_first(patient, therapist):
    other_patient = PatientFactory(clinic=patient.clinic, chart_number="B-2002")
    first = record(request_from(therapist), AuditEvent.Action.VIEW, patient)
    record(request_from(therapist), AuditEvent.Action.VIEW, other_patient)
    second = record(request_from(therapist), AuditEvent.Action.UPDATE, patient, fields=["phone"])
    assert list(AuditEvent.objects.for_patient(patient)) == [second, first]


def test_only_the_clinics_admins_read_a_patients_history(patient, therapist, clinic_admin, outsider):
    record(request_from(therapist), AuditEvent.Action.VIEW, patient)
    other_clinic_admin = member(outsider.memberships.get().clinic, Membership.Role.ADMIN)

    def visible_to(user):
        return AuditEvent.objects.for_user(user).for_patient(patient).count()

    assert (visible_to(clinic_admin), visible_to(therapist), visible_to(other_clinic_admin)) == (1, 0, 0)


def test_the_csv_export_has_a_header_and_one_line_per_event(patient, therapist):
    event = record(request_from(therapist), AuditEvent.Action.UPDATE, patient, fields=["phone"])
    rows = read_csv(AuditEvent.objects.for_patient(patient))

    assert rows[0][:4] == ["time (UTC)", "user", "action", "record type"]
    assert len(rows) == 2
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["user"] == "thera"
    assert line["action"] == "update"
    assert line["record id"] == str(patient.pk)
    assert line["patient id"] == str(patient.pk)
    assert line["IP address"] == "203.0.113.9"
    assert line["detail"] == '{"fields": ["phone"]}'
    assert datetime.datetime.fromisoformat(line["time (UTC)"]) == event.at
    assert line["time (UTC)"].endswith("+00:00")


def test_csv_cells_that_a_spreadsheet_would_run_are_kept_as_text(patient, therapist):
    record(
        request_from(therapist, agent='=HYPERLINK("http://evil.example","x")'),
        AuditEvent.Action.VIEW,
        patient,
    )
    line = read_csv(AuditEvent.objects.for_patient(patient))[1]
    assert line[8] == '\'=HYPERLINK("http://evil.example","x")'


def test_the_csv_export_streams_in_one_query(patient, therapist, django_assert_num_queries):
    for _ in range(5):
        record(request_from(therapist), AuditEvent.Action.VIEW, patient)
    with django_assert_num_queries(1):
        response = StreamingHttpResponse(
            iter_csv(AuditEvent.objects.for_patient(patient)), content_type="text/csv"
        )
        body = b"".join(response.streaming_content).decode()
    assert body.count("\r\n") == 6
