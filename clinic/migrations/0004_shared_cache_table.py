"""The table of Django's database cache, which holds the API's throttle counts when
no Redis is configured (see CACHES in the settings). Created whatever the current
cache, so that switching REDIS_URL off later needs no extra step."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "glide_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0003_perf_patient_search_indexes")]

    operations = [migrations.RunPython(create_table, drop_table)]
