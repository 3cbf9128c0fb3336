"""Loads the standard neurodynamic tests and the exercise library."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.catalogue import load_standard_catalogue

    load_standard_catalogue(
        apps.get_model("assessments", "NeuroTest"),
        apps.get_model("assessments", "TestStep"),
        apps.get_model("assessments", "Exercise"),
        apps.get_model("assessments", "ExerciseMovement"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
