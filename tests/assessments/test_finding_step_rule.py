"""The database refuses a finding whose step belongs to another test, whoever
writes it: one row, a whole batch of rows, or a change of step afterwards."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from psycopg.errors import CheckViolation

from tests.factories import StepFindingFactory, TestResultFactory, standard_test

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

INSERT = (
    "INSERT INTO assessments_stepfinding (id, created_at, updated_at, result_id, step_id,"
    " symptoms_reproduced, symptom_kinds, location) VALUES (%s, %s, %s, %s, %s, 'none', '[]', '')"
)


def finding_row(result, step):
    now = timezone.now()
    return [uuid.uuid4(), now, now, result.pk, step.pk]


@pytest.fixture
def slr_result():
    return TestResultFactory(test=standard_test("SLR"))


def test_a_raw_insert_with_another_tests_step_is_refused(slr_result):
    ulnt_step = standard_test("ULNT1").steps.first()
    with (
        pytest.raises(IntegrityError, match="must belong"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(INSERT, finding_row(slr_result, ulnt_step))


def test_one_wrong_step_in_a_batch_refuses_the_whole_batch(slr_result):
    rows = [finding_row(slr_result, step) for step in standard_test("SLR").steps.all()]
    rows[2][4] = standard_test("ULNT1").steps.first().pk
    # COPY talks to psycopg directly, so its error arrives as psycopg's.
    with (
        pytest.raises(CheckViolation),
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(
            "COPY assessments_stepfinding (id, created_at, updated_at, result_id, step_id,"
            " symptoms_reproduced, symptom_kinds, location) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row([*row, "none", "[]", ""])
    assert not slr_result.findings.exists()


def test_a_batch_of_the_tests_own_steps_is_accepted(slr_result):
    with connection.cursor() as cursor:
        cursor.executemany(
            INSERT, [finding_row(slr_result, step) for step in standard_test("SLR").steps.all()]
        )
    assert slr_result.findings.count() == standard_test("SLR").steps.count()


def test_moving_a_finding_to_another_tests_step_is_refused(slr_result):
    finding = StepFindingFactory(result=slr_result)
    ulnt_step = standard_test("ULNT1").steps.first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessments_stepfinding SET step_id = %s WHERE id = %s", [ulnt_step.pk, finding.pk]
        )
