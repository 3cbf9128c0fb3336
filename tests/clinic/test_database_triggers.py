"""The database refuses what the models refuse, whoever writes: raw SQL cannot change
or delete an audit event, nor delete a patient."""

import pytest
from django.db import IntegrityError, connection, transaction

from clinic.audit import record
from clinic.models import AuditEvent, Patient

pytestmark = pytest.mark.django_db


def run_sql(sql, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_cannot_change_an_audit_event(therapist, patient):
    event = record(None, AuditEvent.Action.VIEW, patient, actor=therapist)
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql("UPDATE clinic_auditevent SET action = 'update' WHERE id = %s", event.pk)
    event.refresh_from_db()
    assert event.action == AuditEvent.Action.VIEW


@pytest.mark.postgres
def test_raw_sql_cannot_delete_an_audit_event(therapist, patient):
    event = record(None, AuditEvent.Action.VIEW, patient, actor=therapist)
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql("DELETE FROM clinic_auditevent WHERE id = %s", event.pk)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_raw_sql_cannot_delete_a_patient(patient):
    with pytest.raises(IntegrityError, match="archived, never deleted"):
        run_sql("DELETE FROM clinic_patient WHERE id = %s", patient.pk)
    assert Patient.objects.filter(pk=patient.pk).exists()


@pytest.mark.postgres
def test_raw_sql_may_still_archive_a_patient(patient):
    run_sql("UPDATE clinic_patient SET archived_at = now() WHERE id = %s", patient.pk)
    patient.refresh_from_db()
    assert patient.is_archived
