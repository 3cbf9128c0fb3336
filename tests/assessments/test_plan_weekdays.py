"""A therapist may name the days of the week an exercise is done on: the days set how
many days a week, and the handout, the plan's page and the API say them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.handouts import render_plan_handout
from assessments.models import Plan, PlanItem

from ..api import api_client, error_attrs, plan_payload
from ..factories import PlanFactory, PlanItemFactory, standard_exercise
from .test_handouts import pdf_text

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/"


def payload_with_days(patient, **item):
    payload = plan_payload(patient)
    del payload["items"][0]["days_per_week"]
    payload["items"][0].update(item)
    return payload


def test_named_days_set_the_days_a_week_and_come_back_monday_first(therapist, patient):
    response = api_client(therapist).post(
        URL, payload_with_days(patient, weekdays=["fri", "mon"]), format="json"
    )

    assert response.status_code == 201, response.json()
    (item,) = response.json()["items"]
    assert (item["weekdays"], item["days_per_week"]) == (["mon", "fri"], 2)
    assert PlanItem.objects.get().weekdays == ["mon", "fri"]


def test_a_plan_without_named_days_leaves_them_to_the_patient(therapist, patient):
    response = api_client(therapist).post(URL, plan_payload(patient), format="json")

    (item,) = response.json()["items"]
    assert (item["weekdays"], item["days_per_week"]) == ([], 7)


@pytest.mark.parametrize("weekdays", [["funday"], ["mon", "mon"], "mon", [1]])
def test_days_that_are_not_days_are_refused_and_nothing_written(therapist, patient, weekdays):
    response = api_client(therapist).post(URL, payload_with_days(patient, weekdays=weekdays), format="json")

    assert response.status_code == 400
    assert error_attrs(response) <= {"items.0.weekdays", "items.0.weekdays.0"}
    assert not Plan.objects.exists()


def test_a_count_that_disagrees_with_the_named_days_is_refused(therapist, patient):
    payload = payload_with_days(patient, weekdays=["mon", "thu"], days_per_week=5)

    response = api_client(therapist).post(URL, payload, format="json")

    assert response.status_code == 400
    assert error_attrs(response) == {"items.0.days_per_week"}
    assert "2 days are named" in response.json()["errors"][0]["detail"]
    assert not Plan.objects.exists()


def test_the_model_refuses_a_count_that_disagrees_with_the_named_days():
    item = PlanItem(weekdays=["tue", "sat"], days_per_week=3)

    with pytest.raises(ValidationError) as refused:
        item.clean()

    assert "days_per_week" in refused.value.message_dict


def test_a_plan_items_days_are_kept_in_week_order_whatever_the_order_given(therapist, patient):
    plan = services.create_plan(
        therapist=therapist,
        patient=patient,
        items=[{"exercise": standard_exercise("tibial-slider"), "weekdays": ["sun", "wed", "mon"]}],
    )

    item = plan.items.get()
    assert (item.weekdays, item.days_per_week) == (["mon", "wed", "sun"], 3)


def builder_post(exercise, **fields):
    return {
        "goals": "Walk to work",
        "start_date": "2026-11-24",
        "status": "active",
        "item-count": "1",
        "item-0-exercise": str(exercise.pk),
        "item-0-sets": "1",
        "item-0-reps": "10",
        "item-0-hold_seconds": "0",
        "item-0-times_per_day": "1",
        "item-0-days_per_week": "7",
        "item-0-side": "both",
        "item-0-cues": "",
        "save": "1",
        **fields,
    }


def test_days_ticked_in_the_plan_builder_are_saved_with_their_count(client, therapist, patient):
    client.force_login(therapist)

    response = client.post(
        reverse("plan-new", args=[patient.pk]),
        builder_post(standard_exercise("tibial-slider"), **{"item-0-weekdays": ["tue", "thu"]}),
    )

    assert response.status_code == 302, response.content
    item = PlanItem.objects.get()
    assert (item.weekdays, item.days_per_week) == (["tue", "thu"], 2)


def test_the_plan_builder_shows_the_days_ticked_and_each_days_full_name(client, therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan, weekdays=["wed"], days_per_week=1)
    client.force_login(therapist)

    page = client.get(reverse("plan-edit", args=[plan.pk])).text

    assert 'name="item-0-weekdays" value="wed"' in page
    assert 'value="wed" id="id_item-0-weekdays_2" checked' in page
    assert '<span class="visually-hidden">Wednesday</span>' in page


def test_an_unknown_day_ticked_keeps_the_plan_as_typed(client, therapist, patient):
    client.force_login(therapist)

    response = client.post(
        reverse("plan-new", args=[patient.pk]),
        builder_post(standard_exercise("tibial-slider"), **{"item-0-weekdays": ["someday"]}),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Plan.objects.exists()


def test_the_plans_page_names_the_days(client, therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan, weekdays=["mon", "wed", "fri"], days_per_week=3)
    client.force_login(therapist)

    page = client.get(reverse("plan-detail", args=[plan.pk])).text

    assert "Monday, Wednesday and Friday" in page


def test_the_handout_names_the_days_in_the_patients_language(therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan, weekdays=["tue", "sat"], days_per_week=2)

    english = pdf_text(render_plan_handout(plan, user=therapist).pdf)
    patient.preferred_language = "es"
    patient.save()
    spanish = pdf_text(render_plan_handout(plan, user=therapist).pdf)

    assert "Tuesday and Saturday" in english
    assert "martes y sábado" in spanish


def test_the_handouts_log_names_the_days_under_the_exercise(therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan, times_per_day=1, weekdays=["mon", "thu"], days_per_week=2)

    log_page = pdf_text(render_plan_handout(plan, user=therapist).pdf).split("Your two-week log")[1]

    assert "1 time a day; Monday and Thursday" in log_page
