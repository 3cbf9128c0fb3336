from django.db import migrations


def load(apps, schema_editor):
    from outcomes.catalogue import load_instruments

    load_instruments(apps.get_model("outcomes", "Instrument"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
