"""
The assessment and plan pages at a follow-up, without script: the last visit's
tests ticked and its values beside each input (never in it), every error reported
in one round with a summary linking to each field, and the same plan as last time
in one press.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditEvent
from tests.factories import (
    AssessmentFactory,
    PlanFactory,
    PlanItemFactory,
    StepFindingFactory,
    TestResultFactory,
    standard_exercise,
    standard_test,
)

from .test_pages import grid_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def last_visit(patient, therapist):
    """Last week: the slump on the left side, one finding."""
    assessment = AssessmentFactory(
        patient=patient, therapist=therapist, performed_at=timezone.now() - datetime.timedelta(days=7)
    )
    result = TestResultFactory(
        assessment=assessment,
        test=standard_test("SLUMP"),
        side="left",
        range_at_onset_deg=35,
        range_at_max_deg=50,
    )
    StepFindingFactory(
        result=result,
        step=result.test.steps.get(code="knee-extension"),
        symptoms_reproduced="full",
        symptom_kinds=["pain"],
        location="back of knee",
        intensity=6,
    )
    return assessment


def shown_grids(html):
    return re.findall(r'data-test-code="(\w+)" data-side="(\w+)"(?! hidden)', html)


def test_a_follow_up_starts_with_the_last_visits_tests_ticked(therapist_client, patient, last_visit):
    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]))

    assert shown_grids(response.text) == [("SLUMP", "left"), ("SLUMP", "right")]
    slump = standard_test("SLUMP")
    assert re.search(rf'<input type="checkbox" name="tests" value="{slump.pk}"[^>]* checked', response.text)


def test_the_last_values_are_shown_beside_the_inputs_not_put_in_them(therapist_client, patient, last_visit):
    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]))

    assert "Last: 35°" in response.text and "Last: 50°" in response.text
    assert "Last: fully · pain · back of knee · 6/10" in response.text
    assert 'value="35"' not in response.text and 'value="6"' not in response.text
    assert 'value="back of knee"' not in response.text


def test_showing_the_last_visit_beside_a_new_assessment_is_traced(therapist_client, patient, last_visit):
    therapist_client.get(reverse("assessment-new", args=[patient.pk]))

    event = AuditEvent.objects.get(patient=patient)
    assert (event.action, event.object_id) == ("view", str(last_visit.pk))


def test_a_first_visit_shows_no_grid_until_a_test_is_ticked(therapist_client, patient):
    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]))

    assert shown_grids(response.text) == []
    assert "data-no-grids>" in response.text
    assert not AuditEvent.objects.filter(patient=patient).exists()


def test_an_empty_grid_reads_not_recorded_rather_than_inconclusive(therapist_client, patient):
    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]) + "?tests=SLR")

    assert response.text.count(">Not recorded yet</output>") == response.text.count("data-reading")
    assert ">Inconclusive</output>" not in response.text


def test_the_difference_between_the_sides_shows_with_what_was_typed(therapist_client, patient):
    data = grid_post(action="pick", **{"SLR-right-range_at_onset_deg": "80"})

    response = therapist_client.post(reverse("assessment-new", args=[patient.pk]), data)

    assert "Difference between sides at P1: 25° (more than 10°)" in response.text


def test_every_error_is_reported_in_one_round(therapist_client, patient):
    data = grid_post(**{"SLR-left-range_at_max_deg": "40", "SLR-left-hip-flexion-intensity": "11"})

    response = therapist_client.post(reverse("assessment-new", args=[patient.pk]), data)

    assert "P2 (range at maximum symptoms) cannot be below P1 (onset)." in response.text
    assert "Ensure this value is less than or equal to 10." in response.text
    assert "2 things to correct" in response.text


def test_the_error_summary_links_to_each_field_and_takes_the_focus(therapist_client, patient):
    data = grid_post(**{"SLR-left-range_at_max_deg": "40", "SLR-left-hip-flexion-intensity": "11"})

    response = therapist_client.post(reverse("assessment-new", args=[patient.pk]), data)

    summary = response.text[
        response.text.index("data-error-summary") - 200 : response.text.index('<section class="card"')
    ]
    assert 'tabindex="-1" autofocus' in summary
    assert '<a href="#id_SLR-left-range_at_max_deg">SLR left: P2 (maximum, °): P2' in summary
    assert '<a href="#id_SLR-left-hip-flexion-intensity">SLR left, ' in summary


def test_a_plan_form_lists_its_errors_with_links(therapist_client, patient):
    exercise = standard_exercise("tibial-slider")
    data = {"goals": "", "start_date": "", "status": "active", "item-count": "1", "save": "1"}
    data |= {f"item-0-{name}": "1" for name in ("sets", "reps", "times_per_day", "days_per_week")}
    data |= {"item-0-exercise": str(exercise.pk), "item-0-hold_seconds": "-1", "item-0-side": "both"}

    response = therapist_client.post(reverse("plan-new", args=[patient.pk]), data)

    assert '<a href="#id_start_date">Start date: This field is required.</a>' in response.text
    assert f'<a href="#id_item-0-hold_seconds">1. {exercise.name}: Hold (s): ' in response.text


@pytest.fixture
def last_plan(patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist, goals="Sit through a meeting")
    for order, slug in enumerate(("active-hamstring-mobilization", "tibial-slider")):
        PlanItemFactory(plan=plan, exercise=standard_exercise(slug), order=order, reps=14)
    return plan


def test_a_new_plan_offers_the_same_plan_as_last_time(therapist_client, patient, last_plan):
    response = therapist_client.get(reverse("plan-new", args=[patient.pk]))

    assert "Same plan as last time" in response.text
    assert response.text.count('class="plan-item') == 0


def test_the_same_plan_as_last_time_fills_the_builder_with_its_exercises_and_doses(
    therapist_client, patient, last_plan
):
    response = therapist_client.get(reverse("plan-new", args=[patient.pk]) + "?same_as_last=1")

    assert response.text.count('class="plan-item') == 2
    assert 'name="item-0-reps" value="14"' in response.text
    assert "Sit through a meeting</textarea>" in response.text
    event = AuditEvent.objects.get(patient=patient)
    assert (event.action, event.object_id) == ("view", str(last_plan.pk))


def test_another_patients_plan_is_never_copied(therapist_client, patient, clinic, last_plan):
    from tests.factories import PatientFactory

    other = PatientFactory(clinic=clinic, chart_number="A-2000")

    response = therapist_client.get(reverse("plan-new", args=[other.pk]) + "?same_as_last=1")

    assert response.text.count('class="plan-item') == 0
    assert "Same plan as last time" not in response.text


def test_a_signed_assessment_offers_the_same_plan_as_last_time(
    therapist_client, patient, last_visit, last_plan
):
    response = therapist_client.get(reverse("assessment-detail", args=[last_visit.pk]))

    assert f"?assessment={last_visit.pk}&amp;same_as_last=1" in response.text
