"""Patient search at scale: trigram indexes for the name and chart-number lookups.

``PatientQuerySet.search`` matches each word anywhere in the given name, family name
or chart number with ``icontains``, which PostgreSQL runs as
``UPPER(column::text) LIKE UPPER('%word%')``. A B-tree cannot serve a pattern with a
leading wildcard, so without these indexes every search reads the whole table. A
``pg_trgm`` GIN index on exactly that expression lets PostgreSQL find the matching
rows from their three-letter fragments, at a cost that does not grow with the table.

PostgreSQL only: on SQLite both operations do nothing, and the search reads the
(small) table as before.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED_COLUMNS = ("given_name", "family_name", "chart_number")


def index_name(column):
    return f"clinic_patient_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(column)} ON clinic_patient "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0002_trust_append_only_triggers")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
