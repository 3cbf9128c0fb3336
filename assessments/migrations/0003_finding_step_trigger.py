"""A finding's step must belong to its result's test. Django cannot express a
constraint across two tables, so a trigger enforces it for every writer, raw SQL
included."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION glide_finding_step_matches_test() RETURNS trigger AS $$
BEGIN
    IF (SELECT test_id FROM assessments_teststep WHERE id = NEW.step_id)
       IS DISTINCT FROM (SELECT test_id FROM assessments_testresult WHERE id = NEW.result_id) THEN
        RAISE EXCEPTION 'a finding''s step must belong to its result''s test'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER glide_finding_step_matches_test
    BEFORE INSERT OR UPDATE OF step_id, result_id ON assessments_stepfinding
    FOR EACH ROW EXECUTE FUNCTION glide_finding_step_matches_test();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS glide_finding_step_matches_test ON assessments_stepfinding;
DROP FUNCTION IF EXISTS glide_finding_step_matches_test();
"""

SQLITE_CONDITION = """
    (SELECT test_id FROM assessments_teststep WHERE id = NEW.step_id)
    IS NOT (SELECT test_id FROM assessments_testresult WHERE id = NEW.result_id)
"""
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER glide_finding_step_matches_test_{event.lower().split()[0]}
BEFORE {event} ON assessments_stepfinding
WHEN {SQLITE_CONDITION}
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: a finding''s step must belong to its result''s test');
END;
"""
    for event in ("INSERT", "UPDATE OF step_id, result_id")
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS glide_finding_step_matches_test_insert;",
    "DROP TRIGGER IF EXISTS glide_finding_step_matches_test_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_BACKWARD], "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_standard_catalogue")]

    operations = [migrations.RunPython(forward, backward)]
