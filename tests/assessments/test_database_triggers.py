"""A signed assessment is final in the database itself: raw SQL cannot change or
delete it, nor add, change or remove its results and findings, nor touch an
addendum. Signing a draft, and editing drafts, still work."""

import pytest
from django.db import IntegrityError, connection, transaction

from assessments import services
from assessments.models import Assessment, StepFinding, TestResult

from ..factories import StepFindingFactory, TestResultFactory, standard_test

pytestmark = pytest.mark.django_db


def db_id(instance):
    """The primary key as the database stores it (SQLite keeps UUIDs as hex)."""
    return type(instance)._meta.pk.get_db_prep_value(instance.pk, connection)


def run_sql(sql, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def finding():
    return StepFindingFactory(intensity=3)


@pytest.fixture
def signed(finding):
    assessment = finding.result.assessment
    return services.sign_assessment(assessment, signed_by=assessment.therapist)


def test_signing_a_draft_is_allowed_by_the_database(finding):
    assessment = finding.result.assessment
    services.sign_assessment(assessment, signed_by=assessment.therapist)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SIGNED


def test_raw_sql_may_edit_a_draft(finding):
    assessment = finding.result.assessment
    assert run_sql("UPDATE assessments_assessment SET notes = 'draft' WHERE id = %s", db_id(assessment)) == 1
    assert run_sql("UPDATE assessments_stepfinding SET intensity = 4 WHERE id = %s", db_id(finding)) == 1


def test_raw_sql_cannot_change_a_signed_assessment(signed):
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("UPDATE assessments_assessment SET notes = 'changed' WHERE id = %s", db_id(signed))
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("UPDATE assessments_assessment SET status = 'draft' WHERE id = %s", db_id(signed))
    assert Assessment.objects.get(pk=signed.pk).status == Assessment.Status.SIGNED


def test_raw_sql_cannot_change_a_signed_assessments_result(signed):
    result = signed.results.get()
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("UPDATE assessments_testresult SET range_at_onset_deg = 90 WHERE id = %s", db_id(result))
    assert TestResult.objects.get(pk=result.pk).range_at_onset_deg == 55


def test_raw_sql_cannot_change_a_signed_assessments_finding(signed, finding):
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("UPDATE assessments_stepfinding SET intensity = 9 WHERE id = %s", db_id(finding))
    assert StepFinding.objects.get(pk=finding.pk).intensity == 3


def test_raw_sql_cannot_change_an_addendum(signed):
    addendum = services.add_addendum(signed, author=signed.therapist, text="Patient called back.")
    with pytest.raises(IntegrityError, match="addendum"):
        run_sql("UPDATE assessments_addendum SET text = 'rewritten' WHERE id = %s", db_id(addendum))


@pytest.mark.postgres
def test_raw_sql_cannot_delete_a_signed_assessment(signed):
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("DELETE FROM assessments_assessment WHERE id = %s", db_id(signed))
    assert Assessment.objects.filter(pk=signed.pk).exists()


@pytest.mark.postgres
def test_raw_sql_cannot_delete_a_signed_assessments_result_or_finding(signed, finding):
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("DELETE FROM assessments_stepfinding WHERE id = %s", db_id(finding))
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql("DELETE FROM assessments_testresult WHERE assessment_id = %s", db_id(signed))
    assert StepFinding.objects.filter(pk=finding.pk).exists()


@pytest.mark.postgres
def test_raw_sql_cannot_add_a_result_to_a_signed_assessment(signed):
    draft_result = TestResultFactory(side="right")
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql(
            "INSERT INTO assessments_testresult (id, created_at, updated_at, assessment_id, test_id, side,"
            " differentiation, interpretation, interpretation_override, override_reason, notes)"
            " VALUES (gen_random_uuid(), now(), now(), %s, %s, 'right', 'not_tested', 'inconclusive',"
            " '', '', '')",
            signed.pk,
            standard_test("SLUMP").pk,
        )
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql(
            "UPDATE assessments_testresult SET assessment_id = %s WHERE id = %s", signed.pk, draft_result.pk
        )
    assert signed.results.count() == 1


@pytest.mark.postgres
def test_raw_sql_cannot_add_a_finding_to_a_signed_assessment(signed):
    result = signed.results.get()
    unused_step = result.test.steps.exclude(findings__result=result).first()
    with pytest.raises(IntegrityError, match="signed assessment"):
        run_sql(
            "INSERT INTO assessments_stepfinding (id, created_at, updated_at, result_id, step_id,"
            " symptoms_reproduced, symptom_kinds, location)"
            " VALUES (gen_random_uuid(), now(), now(), %s, %s, 'full', '[]', '')",
            result.pk,
            unused_step.pk,
        )
    assert result.findings.count() == 1


@pytest.mark.postgres
def test_raw_sql_cannot_delete_an_addendum(signed):
    addendum = services.add_addendum(signed, author=signed.therapist, text="Patient called back.")
    with pytest.raises(IntegrityError, match="addendum"):
        run_sql("DELETE FROM assessments_addendum WHERE id = %s", addendum.pk)


def test_a_draft_can_still_be_discarded(finding):
    assessment = finding.result.assessment
    services.discard_draft(assessment)
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
