"""A signed assessment is part of the legal record: the database refuses to change
or delete it, to add, change or remove its results and findings, and to change or
delete an addendum. The models raise ``ProtectedRecordError`` for the ORM; these
triggers hold for raw SQL and any other client of the database too. Signing itself
is an UPDATE of a row that is still a draft, which is allowed.

``manage.py restore`` loads signed assessments before their results; it disables
the tables' triggers inside its own transaction only (``ALTER TABLE ... DISABLE
TRIGGER USER`` is transactional on PostgreSQL, locks the table until the commit,
and needs the table's owner).

On SQLite, the embedded development database, only the UPDATE refusals are
installed: its tables are emptied with DELETE by ``flush`` and the test runner, and
``restore`` inserts signed notes' results."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION glide_signed_assessment_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION 'a signed assessment cannot be changed; add an addendum'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER glide_signed_assessment_is_final
    BEFORE UPDATE OR DELETE ON assessments_assessment
    FOR EACH ROW EXECUTE FUNCTION glide_signed_assessment_is_final();

CREATE OR REPLACE FUNCTION glide_signed_result_is_final() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND EXISTS (
            SELECT 1 FROM assessments_assessment
            WHERE id = OLD.assessment_id AND status = 'signed'))
       OR (TG_OP <> 'DELETE' AND EXISTS (
            SELECT 1 FROM assessments_assessment
            WHERE id = NEW.assessment_id AND status = 'signed')) THEN
        RAISE EXCEPTION 'a signed assessment''s results cannot be changed; add an addendum'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER glide_signed_result_is_final
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_testresult
    FOR EACH ROW EXECUTE FUNCTION glide_signed_result_is_final();

CREATE OR REPLACE FUNCTION glide_signed_finding_is_final() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND EXISTS (
            SELECT 1 FROM assessments_testresult result
            JOIN assessments_assessment assessment ON assessment.id = result.assessment_id
            WHERE result.id = OLD.result_id AND assessment.status = 'signed'))
       OR (TG_OP <> 'DELETE' AND EXISTS (
            SELECT 1 FROM assessments_testresult result
            JOIN assessments_assessment assessment ON assessment.id = result.assessment_id
            WHERE result.id = NEW.result_id AND assessment.status = 'signed')) THEN
        RAISE EXCEPTION 'a signed assessment''s findings cannot be changed; add an addendum'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER glide_signed_finding_is_final
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_stepfinding
    FOR EACH ROW EXECUTE FUNCTION glide_signed_finding_is_final();

CREATE OR REPLACE FUNCTION glide_addendum_is_final() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an addendum cannot be changed or deleted; write another one'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER glide_addendum_is_final
    BEFORE UPDATE OR DELETE ON assessments_addendum
    FOR EACH ROW EXECUTE FUNCTION glide_addendum_is_final();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS glide_addendum_is_final ON assessments_addendum;
DROP FUNCTION IF EXISTS glide_addendum_is_final();
DROP TRIGGER IF EXISTS glide_signed_finding_is_final ON assessments_stepfinding;
DROP FUNCTION IF EXISTS glide_signed_finding_is_final();
DROP TRIGGER IF EXISTS glide_signed_result_is_final ON assessments_testresult;
DROP FUNCTION IF EXISTS glide_signed_result_is_final();
DROP TRIGGER IF EXISTS glide_signed_assessment_is_final ON assessments_assessment;
DROP FUNCTION IF EXISTS glide_signed_assessment_is_final();
"""

SQLITE_FORWARD = [
    """
CREATE TRIGGER glide_signed_assessment_is_final
BEFORE UPDATE ON assessments_assessment
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed assessment cannot be changed; add an addendum');
END;
""",
    """
CREATE TRIGGER glide_signed_result_is_final
BEFORE UPDATE ON assessments_testresult
WHEN EXISTS (
    SELECT 1 FROM assessments_assessment
    WHERE id IN (OLD.assessment_id, NEW.assessment_id) AND status = 'signed')
BEGIN
    SELECT RAISE(ABORT, 'a signed assessment''s results cannot be changed; add an addendum');
END;
""",
    """
CREATE TRIGGER glide_signed_finding_is_final
BEFORE UPDATE ON assessments_stepfinding
WHEN EXISTS (
    SELECT 1 FROM assessments_testresult result
    JOIN assessments_assessment assessment ON assessment.id = result.assessment_id
    WHERE result.id IN (OLD.result_id, NEW.result_id) AND assessment.status = 'signed')
BEGIN
    SELECT RAISE(ABORT, 'a signed assessment''s findings cannot be changed; add an addendum');
END;
""",
    """
CREATE TRIGGER glide_addendum_is_final
BEFORE UPDATE ON assessments_addendum
BEGIN
    SELECT RAISE(ABORT, 'an addendum cannot be changed; write another one');
END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS glide_addendum_is_final;",
    "DROP TRIGGER IF EXISTS glide_signed_finding_is_final;",
    "DROP TRIGGER IF EXISTS glide_signed_result_is_final;",
    "DROP TRIGGER IF EXISTS glide_signed_assessment_is_final;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_BACKWARD], "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_finding_step_trigger")]

    operations = [migrations.RunPython(forward, backward)]
