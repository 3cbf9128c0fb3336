"""A clinic's time zone, and the audit trail's name for an actor that is not a user
(a patient's private link).

On SQLite, adding a column with a default rebuilds the table, which drops its
triggers: the audit trail's append-only trigger is put back afterwards."""

from django.db import migrations, models

import clinic.models

SQLITE_APPEND_ONLY = """
CREATE TRIGGER IF NOT EXISTS glide_auditevent_append_only
BEFORE UPDATE ON clinic_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
"""


def keep_the_audit_trail_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0005_clinic_exercise_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_description",
            field=models.CharField(
                blank=True,
                help_text="Who acted when it was not a user, e.g. a patient's private link.",
                max_length=150,
            ),
        ),
        migrations.AddField(
            model_name="clinic",
            name="time_zone",
            field=models.CharField(
                default=clinic.models.default_time_zone,
                help_text='Where the clinic\'s days begin and end, e.g. "America/Denver".',
                max_length=64,
                validators=[clinic.models.validate_time_zone],
            ),
        ),
        migrations.AddField(
            model_name="historicalclinic",
            name="time_zone",
            field=models.CharField(
                default=clinic.models.default_time_zone,
                help_text='Where the clinic\'s days begin and end, e.g. "America/Denver".',
                max_length=64,
                validators=[clinic.models.validate_time_zone],
            ),
        ),
        migrations.RunPython(keep_the_audit_trail_append_only, migrations.RunPython.noop),
    ]
