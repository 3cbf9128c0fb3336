"""Patient search costs what the searching clinic's own patients cost.

The trigram indexes of ``0003`` find a word's matches in every clinic, and the clinic
filter then keeps the searching clinic's: a common given name costs its patients in
the whole database. ``btree_gin`` lets one GIN index hold the clinic next to each
name's trigrams, so a search inside one clinic reads only that clinic's matches.
These replace the trigram indexes (a GIN index also answers a condition on its
second column alone, for a member of several clinics or a search across clinics).

PostgreSQL only: on SQLite every operation here does nothing.
"""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

SEARCHED_COLUMNS = ("given_name", "family_name", "chart_number")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS clinic_patient_clinic_{column}_trgm ON clinic_patient "
            f"USING gin (clinic_id, (UPPER({column}::text)) gin_trgm_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS clinic_patient_{column}_trgm")


def restore_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS clinic_patient_{column}_trgm ON clinic_patient "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS clinic_patient_clinic_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0008_perf_throttle_counters")]

    operations = [
        BtreeGinExtension(),
        migrations.RunPython(create_indexes, restore_indexes, elidable=False),
    ]
