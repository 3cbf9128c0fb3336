"""Checks a whole insert of results or findings against signed notes at once on
PostgreSQL.

The rule of ``0004_trust_signed_notes_triggers`` stays exactly as it is: nothing is
added to a signed assessment. Only how PostgreSQL checks inserts changes. The row
triggers ran a PL/pgSQL function and a lookup for every inserted result and
finding, which more than halved the speed of a bulk load (``generate_dataset``
writes millions of findings); statement triggers that join all the new rows (a
transition table) against the assessments do the same check in one query per
insert. Updates and deletes keep the row triggers. SQLite never had the insert
check (see ``0004``).

The statement triggers' queries, and ``0007``'s, must cost the size of the insert,
not of the tables. During a bulk load the tables' statistics lag far behind their
size, and the planner then hashes the whole results table for every insert, which
slowed a load down with every batch (10,000 patients took 96 s). Hash and merge
joins are switched off for these functions alone (``SET`` on the function), which
leaves a nested loop over the new rows with primary-key lookups (24 s).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION glide_new_results_not_signed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT FROM new_results result
        JOIN assessments_assessment assessment ON assessment.id = result.assessment_id
        WHERE assessment.status = 'signed'
    ) THEN
        RAISE EXCEPTION 'a signed assessment''s results cannot be changed; add an addendum'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off;

CREATE OR REPLACE FUNCTION glide_new_findings_not_signed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT FROM new_findings finding
        JOIN assessments_testresult result ON result.id = finding.result_id
        JOIN assessments_assessment assessment ON assessment.id = result.assessment_id
        WHERE assessment.status = 'signed'
    ) THEN
        RAISE EXCEPTION 'a signed assessment''s findings cannot be changed; add an addendum'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off;

ALTER FUNCTION glide_new_findings_match_tests() SET enable_hashjoin = off;
ALTER FUNCTION glide_new_findings_match_tests() SET enable_mergejoin = off;

DROP TRIGGER glide_signed_result_is_final ON assessments_testresult;
CREATE TRIGGER glide_signed_result_is_final
    BEFORE UPDATE OR DELETE ON assessments_testresult
    FOR EACH ROW EXECUTE FUNCTION glide_signed_result_is_final();
CREATE TRIGGER glide_new_results_not_signed
    AFTER INSERT ON assessments_testresult
    REFERENCING NEW TABLE AS new_results
    FOR EACH STATEMENT EXECUTE FUNCTION glide_new_results_not_signed();

DROP TRIGGER glide_signed_finding_is_final ON assessments_stepfinding;
CREATE TRIGGER glide_signed_finding_is_final
    BEFORE UPDATE OR DELETE ON assessments_stepfinding
    FOR EACH ROW EXECUTE FUNCTION glide_signed_finding_is_final();
CREATE TRIGGER glide_new_findings_not_signed
    AFTER INSERT ON assessments_stepfinding
    REFERENCING NEW TABLE AS new_findings
    FOR EACH STATEMENT EXECUTE FUNCTION glide_new_findings_not_signed();
"""
POSTGRES_BACKWARD = """
ALTER FUNCTION glide_new_findings_match_tests() RESET ALL;

DROP TRIGGER glide_new_findings_not_signed ON assessments_stepfinding;
DROP FUNCTION glide_new_findings_not_signed();
DROP TRIGGER glide_signed_finding_is_final ON assessments_stepfinding;
CREATE TRIGGER glide_signed_finding_is_final
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_stepfinding
    FOR EACH ROW EXECUTE FUNCTION glide_signed_finding_is_final();

DROP TRIGGER glide_new_results_not_signed ON assessments_testresult;
DROP FUNCTION glide_new_results_not_signed();
DROP TRIGGER glide_signed_result_is_final ON assessments_testresult;
CREATE TRIGGER glide_signed_result_is_final
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_testresult
    FOR EACH ROW EXECUTE FUNCTION glide_signed_result_is_final();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_perf_finding_step_statement_trigger")]

    operations = [migrations.RunPython(forward, backward)]
