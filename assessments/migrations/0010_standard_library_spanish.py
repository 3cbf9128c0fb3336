"""Loads the standard exercise library's Spanish text, through the catalogue loader."""

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
    dependencies = [("assessments", "0009_exercise_translations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
