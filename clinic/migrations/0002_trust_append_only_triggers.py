"""The database itself refuses what Glide's models refuse: changing or deleting an
audit event, and deleting a patient (patients are archived). The models raise
``ProtectedRecordError`` for the ORM; these triggers hold for raw SQL and any other
client of the database too.

On SQLite, the embedded development database, only the UPDATE refusal is installed:
``manage.py flush`` and the test runner empty SQLite tables with DELETE, which a
DELETE trigger would refuse (PostgreSQL empties them with TRUNCATE, which row
triggers do not see)."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION glide_refuse_write() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER glide_auditevent_append_only
    BEFORE UPDATE OR DELETE ON clinic_auditevent
    FOR EACH ROW EXECUTE FUNCTION glide_refuse_write('audit events are append-only');
CREATE TRIGGER glide_patient_never_deleted
    BEFORE DELETE ON clinic_patient
    FOR EACH ROW EXECUTE FUNCTION glide_refuse_write('patients are archived, never deleted');
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS glide_patient_never_deleted ON clinic_patient;
DROP TRIGGER IF EXISTS glide_auditevent_append_only ON clinic_auditevent;
DROP FUNCTION IF EXISTS glide_refuse_write();
"""

SQLITE_FORWARD = """
CREATE TRIGGER glide_auditevent_append_only
BEFORE UPDATE ON clinic_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS glide_auditevent_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
