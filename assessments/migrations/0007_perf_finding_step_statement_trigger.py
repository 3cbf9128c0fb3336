"""Checks a whole insert of findings at once on PostgreSQL.

The rule of ``0003_finding_step_trigger`` (a finding's step belongs to its result's
test) stays exactly as it is; only how PostgreSQL checks inserts changes. A row
trigger runs two lookups through PL/pgSQL for every finding; an assessment writes
its findings in one statement, and a bulk load writes a hundred thousand, so a
statement trigger that joins all the new rows (a transition table) against steps
and results in one query does the same check at a fraction of the cost (about a
quarter of the time of a bulk load). Updates keep the row trigger. SQLite, which
has no statement triggers, keeps its row triggers.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION glide_new_findings_match_tests() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT FROM new_findings finding
        LEFT JOIN assessments_teststep step ON step.id = finding.step_id
        LEFT JOIN assessments_testresult result ON result.id = finding.result_id
        WHERE step.test_id IS DISTINCT FROM result.test_id
    ) THEN
        RAISE EXCEPTION 'a finding''s step must belong to its result''s test'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER glide_finding_step_matches_test ON assessments_stepfinding;
CREATE TRIGGER glide_finding_step_matches_test
    BEFORE UPDATE OF step_id, result_id ON assessments_stepfinding
    FOR EACH ROW EXECUTE FUNCTION glide_finding_step_matches_test();
CREATE TRIGGER glide_new_findings_match_tests
    AFTER INSERT ON assessments_stepfinding
    REFERENCING NEW TABLE AS new_findings
    FOR EACH STATEMENT EXECUTE FUNCTION glide_new_findings_match_tests();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER glide_new_findings_match_tests ON assessments_stepfinding;
DROP FUNCTION glide_new_findings_match_tests();
DROP TRIGGER glide_finding_step_matches_test ON assessments_stepfinding;
CREATE TRIGGER glide_finding_step_matches_test
    BEFORE INSERT OR UPDATE OF step_id, result_id ON assessments_stepfinding
    FOR EACH ROW EXECUTE FUNCTION glide_finding_step_matches_test();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_perf_draft_index")]

    operations = [migrations.RunPython(forward, backward)]
