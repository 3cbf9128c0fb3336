"""The demo data survives a backup and a restore into an empty database row for row,
in every table of the backup; a restore never overwrites data by accident."""

import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clinic.backup import backed_up_models, database_is_empty
from clinic.models import AuditEvent, Clinic, Patient, User
from interop.models import ExportJob, PatientIdentifier
from outcomes.models import MeasureRequest, MeasureSchedule

from ..factories import PatientFactory, instrument, load_wording, record_measure

pytestmark = pytest.mark.django_db


def every_row():
    """Each backed-up table (and its many-to-many tables) as ordered tuples."""
    tables = {}
    for model in backed_up_models():
        tables[model._meta.db_table] = list(model._base_manager.order_by("pk").values_list())
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            tables[through._meta.db_table] = list(through.objects.order_by("pk").values_list())
    return tables


def backup_to(tmp_path):
    path = tmp_path / "glide.json.gz"
    call_command("backup", str(path))
    return path


@pytest.fixture
def demo_backup(tmp_path):
    call_command("seed_demo", verbosity=0)
    ExportJob.objects.create(
        clinic=Clinic.objects.get(slug="harbour"),
        requested_by=User.objects.get(username="demo"),
        kind=ExportJob.Kind.FHIR_CLINIC,
        parameters={"request": "https://glide.example.org/fhir/$export", "types": ["Patient"]},
        state=ExportJob.State.COMPLETED,
        output=[{"type": "Patient", "name": "Patient.ndjson", "count": 25}],
    )
    return backup_to(tmp_path)


@pytest.fixture
def small_backup(tmp_path):
    PatientFactory(chart_number="S-1")
    return backup_to(tmp_path)


def test_the_demo_data_is_restored_row_for_row_into_an_empty_database(demo_backup):
    before = every_row()
    assert len(before["clinic_patient"]) > 20
    assert len(before["assessments_stepfinding"]) > 100
    assert len(before["interop_exportjob"]) == 1
    connection.check_constraints()  # the test's transaction holds the demo's pending checks
    call_command("flush", interactive=False, verbosity=0)
    assert database_is_empty()

    call_command("restore", str(demo_backup))

    after = every_row()
    restore_event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    after["clinic_auditevent"] = [row for row in after["clinic_auditevent"] if row[0] != restore_event.pk]
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table


def test_an_identifier_kept_from_a_fhir_import_is_restored_with_its_patient(tmp_path):
    patient = PatientFactory(chart_number="S-2")
    PatientIdentifier.objects.create(
        clinic=patient.clinic, patient=patient, system="https://emr.example.org/mrn", value="MRN-77"
    )
    before = every_row()
    path = backup_to(tmp_path)
    if connection.vendor == "postgresql":
        # The rows just written leave deferred foreign-key checks pending, which TRUNCATE refuses.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(path))

    after = every_row()
    assert after["interop_patientidentifier"] == before["interop_patientidentifier"] != []
    assert after["clinic_patient"] == before["clinic_patient"]


def test_a_backup_is_recorded_and_readable_by_its_owner_only(small_backup):
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type="backup").exists()
    assert stat.S_IMODE(os.stat(small_backup).st_mode) == 0o600


def test_restore_refuses_a_database_that_holds_data(small_backup):
    patient = PatientFactory(family_name="Lovelace")
    with pytest.raises(CommandError, match="already holds Glide data"):
        call_command("restore", str(small_backup))
    assert Patient.objects.get(pk=patient.pk).family_name == "Lovelace"


def test_restore_with_force_replaces_what_is_there(small_backup):
    patient = PatientFactory()
    call_command("restore", str(small_backup), "--force")
    assert not Patient.objects.filter(pk=patient.pk).exists()
    assert list(Patient.objects.values_list("chart_number", flat=True)) == ["S-1"]


def test_a_backup_file_needs_a_name_that_restore_can_read(tmp_path):
    with pytest.raises(CommandError, match=r"\.json"):
        call_command("backup", str(tmp_path / "glide.dump"))


def test_outcome_measures_survive_a_backup_and_a_restore(tmp_path, clinic, clinic_admin, therapist, patient):
    load_wording(clinic, "odi", clinic_admin)
    MeasureSchedule.objects.create(clinic=clinic, instrument=instrument("odi"), every_weeks=4)
    first = record_measure(patient, "nprs", {"pain": 7}, by=therapist, days_ago=10)
    record_measure(patient, "nprs", {"pain": 6}, by=therapist, replaces=first, correction_reason="Misheard.")
    MeasureRequest.objects.create(
        clinic=clinic, patient=patient, instrument=instrument("psfs"), requested_by=therapist
    )
    path = backup_to(tmp_path)
    before = every_row()
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(path))

    after = every_row()
    for table in ("outcomes_instrument", "outcomes_instrumentwording", "outcomes_measureresponse",
                  "outcomes_measureschedule", "outcomes_measurerequest"):  # fmt: skip
        assert after[table] == before[table], table
    assert len(after["outcomes_measureresponse"]) == 2
