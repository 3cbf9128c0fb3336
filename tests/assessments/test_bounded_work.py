"""Every request's work is bounded: a plan holds a handful of exercises, texts have
maximum lengths, and a handout's render has a ceiling answered with a clear 400
before any layout (``assessments.limits``)."""

from unittest import mock

import pytest
from django.test import Client

from assessments import handouts, services
from assessments.models import Addendum, Exercise, HandoutPrint, Plan
from clinic.models import Membership

from ..api import api_client, plan_payload, slr_payload
from ..factories import AssessmentFactory, PlanFactory, PlanItemFactory, member

pytestmark = pytest.mark.django_db

STANDARD = [
    "active-hamstring-mobilization",
    "sciatic-seated-slump-slider",
    "tibial-slider",
    "median-nerve-slider",
    "ulnar-nerve-slider",
    "radial-nerve-slider",
]


def items(count, cues="Slowly"):
    return [
        {"exercise": STANDARD[index % len(STANDARD)], "sets": 1, "reps": 10, "cues": cues}
        for index in range(count)
    ]


def errors_of(response):
    return {(error["attr"], error["code"]) for error in response.json()["errors"]}


def test_a_plan_of_twelve_exercises_is_kept(therapist, patient):
    payload = {**plan_payload(patient), "items": items(12)}
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    assert response.status_code == 201
    assert len(response.json()["items"]) == 12


@pytest.mark.parametrize("count", [13, 100])
def test_a_plan_of_more_exercises_is_refused_and_nothing_is_written(therapist, patient, count):
    payload = {**plan_payload(patient), "items": items(count)}
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    assert response.status_code == 400
    assert ("items.non_field_errors", "max_length") in errors_of(response)
    assert not Plan.objects.exists()


def test_the_most_exercises_of_a_plan_is_a_setting(therapist, patient, settings):
    settings.GLIDE_MAX_PLAN_ITEMS = 3
    payload = {**plan_payload(patient), "items": items(4)}
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_a_plan_change_is_held_to_the_same_limit(therapist, patient):
    client = api_client(therapist)
    plan = client.post("/api/v1/plans/", plan_payload(patient), format="json").json()
    response = client.patch(
        f"/api/v1/plans/{plan['id']}/", {"items": items(13)}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert Plan.objects.get().items.count() == 1


@pytest.mark.parametrize(
    "change, attr",
    [
        (lambda payload: payload.update(goals="g" * 1001), "goals"),
        (lambda payload: payload["items"][0].update(cues="c" * 501), "items.0.cues"),
    ],
)
def test_plan_texts_have_maximum_lengths(therapist, patient, change, attr):
    payload = plan_payload(patient)
    change(payload)
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    assert response.status_code == 400
    assert (attr, "max_length") in errors_of(response)


def test_the_printed_text_of_a_plan_is_bounded(therapist, patient, settings):
    settings.GLIDE_HANDOUT_MAX_CHARACTERS = 5000
    payload = {**plan_payload(patient), "items": items(6, cues="c" * 500)}
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    assert response.status_code == 400
    assert "items" in {attr for attr, _ in errors_of(response)}
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "change, attr",
    [
        (lambda body: body.update(purpose="p" * 1001), "purpose"),
        (lambda body: body.update(precautions="p" * 1001), "precautions"),
        (lambda body: body["movements"][0].update(steps=["Breathe."] * 13), "movements.0.steps"),
        (lambda body: body["movements"][0].update(steps=["s" * 401]), "movements.0.steps.0"),
        (
            lambda body: body.update(movements=[dict(body["movements"][0], slug=f"m{n}") for n in range(7)]),
            "movements.non_field_errors",
        ),
    ],
)
def test_a_clinics_exercise_is_bounded(clinic_admin, clinic, change, attr):
    body = {
        "slug": "desk-glide",
        "name": "Desk glide",
        "kind": "slider",
        "nerve": "median",
        "region": "upper",
        "purpose": "Helps the nerve move.",
        "movements": [{"slug": "start", "title": "Start", "steps": ["Sit tall."]}],
    }
    change(body)
    response = api_client(clinic_admin).post("/api/v1/exercises/", body, format="json")
    assert response.status_code == 400
    assert attr in {attr for attr, _ in errors_of(response)}
    assert not Exercise.objects.filter(slug="desk-glide").exists()


def test_clinical_notes_and_addenda_have_maximum_lengths(therapist, patient):
    client = api_client(therapist)
    response = client.post(
        "/api/v1/assessments/", {**slr_payload(patient), "notes": "n" * 10001}, format="json"
    )
    assert ("notes", "max_length") in errors_of(response)
    signed = services.sign_assessment(
        AssessmentFactory(patient=patient, therapist=therapist), signed_by=therapist
    )
    response = client.post(f"/api/v1/assessments/{signed.pk}/addenda/", {"text": "a" * 10001}, format="json")
    assert response.status_code == 400
    assert not Addendum.objects.exists()


@pytest.fixture
def oversized_plan(clinic, patient, therapist):
    """A plan written before today's limits: twenty exercises."""
    plan = PlanFactory(patient=patient, therapist=therapist)
    for order in range(20):
        PlanItemFactory(plan=plan, order=order)
    return plan


def test_the_handout_of_an_oversized_plan_answers_400_before_any_render(therapist, oversized_plan):
    with mock.patch.object(handouts, "render_pdf") as render:
        response = api_client(therapist).get(f"/api/v1/plans/{oversized_plan.pk}/handout.pdf")
    render.assert_not_called()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert ("items", "too_large") in errors_of(response)
    assert not HandoutPrint.objects.exists()


def test_the_handout_page_of_an_oversized_plan_says_why_on_the_plan(therapist, oversized_plan):
    client = Client()
    client.force_login(therapist)
    with mock.patch.object(handouts, "render_pdf") as render:
        response = client.get(f"/plans/{oversized_plan.pk}/handout.pdf", follow=True)
    render.assert_not_called()
    assert response.redirect_chain[-1][0] == f"/plans/{oversized_plan.pk}/"
    assert "A plan holds at most 12 exercises" in response.content.decode()


def test_a_change_of_goals_alone_measures_the_kept_exercises(therapist, patient, settings):
    client = api_client(therapist)
    plan = client.post("/api/v1/plans/", {**plan_payload(patient), "items": items(3)}, format="json").json()
    assert (
        client.patch(
            f"/api/v1/plans/{plan['id']}/", {"goals": "Walk"}, format="json", HTTP_IF_MATCH='"1"'
        ).status_code
        == 200
    )
    settings.GLIDE_HANDOUT_MAX_CHARACTERS = 100
    response = client.patch(
        f"/api/v1/plans/{plan['id']}/", {"goals": "Walk far"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 400
    assert "items" in {attr for attr, _ in errors_of(response)}


def test_an_oversized_plan_can_still_be_stopped(therapist, oversized_plan):
    response = api_client(therapist).patch(
        f"/api/v1/plans/{oversized_plan.pk}/", {"status": "stopped"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200


def test_the_largest_plan_within_the_limits_prints_in_a_bounded_number_of_pages(clinic, patient):
    """Twelve exercises with their longest cues, up to the printed-text limit."""
    therapist = member(clinic, Membership.Role.THERAPIST, username="printer")
    plan = PlanFactory(patient=patient, therapist=therapist, goals="Walk to work without pain. " * 37)
    for order in range(12):
        PlanItemFactory(plan=plan, order=order, cues="Keep the movement slow and easy. " * 15)
    handouts.check_printable(plan)  # within the limits
    handout = handouts.render_plan_handout(plan, user=therapist)
    assert handout.page_count <= 40
