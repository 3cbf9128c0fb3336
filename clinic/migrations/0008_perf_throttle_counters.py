"""The table of the API's throttle counts when no Redis is configured: one row per
client, raised atomically (``clinic.throttling``). Unlogged on PostgreSQL: a count is
worth nothing after a crash, and writing it need not wait for the disk."""

from django.db import migrations

TABLE = "glide_throttle"


def create_table(apps, schema_editor):
    unlogged = "UNLOGGED " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE {unlogged}TABLE {TABLE} ("
        " key varchar(255) NOT NULL PRIMARY KEY,"
        " window_ends bigint NOT NULL,"
        " hits integer NOT NULL,"
        " previous_hits integer NOT NULL"
        ")"
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0007_text_lengths")]

    operations = [migrations.RunPython(create_table, drop_table)]
