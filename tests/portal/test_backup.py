"""Links, logged sessions and alerts survive a backup and a restore row for row."""

import pytest
from django.core.management import call_command
from django.db import connection

from clinic.models import AuditEvent

from ..clinic.test_backup_restore import every_row
from ..factories import AlertFactory, SessionLogFactory

pytestmark = pytest.mark.django_db


def test_the_patients_side_is_restored_row_for_row(link, tmp_path, therapist):
    AlertFactory(session_log=SessionLogFactory(link=link, pain=9, note="Sore"))
    link.revoke(by=therapist)
    path = tmp_path / "glide.json.gz"
    call_command("backup", str(path))
    before = every_row()
    assert all(
        before[table]
        for table in ("portal_patientlink", "portal_sessionlog", "portal_sessionitem", "portal_alert")
    )
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(path))

    after = every_row()
    restore_event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    after["clinic_auditevent"] = [row for row in after["clinic_auditevent"] if row[0] != restore_event.pk]
    for table in (
        "portal_patientlink",
        "portal_sessionlog",
        "portal_sessionitem",
        "portal_alert",
        "clinic_clinic",
    ):
        assert after[table] == before[table], table
