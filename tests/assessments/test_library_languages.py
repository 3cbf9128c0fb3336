"""The exercise library in the patient's language: the standard library in Spanish,
a clinic's own exercises translated in part or whole, over the API and on the plan
pages."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import catalogue, exercise_library_es
from assessments.exercise_library import EXERCISES
from assessments.models import Exercise, ExerciseMovement, HandoutPrint, PlanItem
from assessments.translations import exercise_text, translated_languages

from ..api import api_client, error_attrs
from ..factories import ExerciseFactory, PlanFactory, standard_exercise

pytestmark = pytest.mark.django_db

SPANISH_DESK_SLIDER = {
    "slug": "desk-median-slider", "name": "Desk median slider", "kind": "slider", "nerve": "median",
    "region": "upper", "purpose": "Helps the nerve in your arm glide.",
    "translations": {"es": {
        "name": "Deslizar el nervio en la mesa", "purpose": "Ayuda a mover el nervio del brazo.",
    }},
    "movements": [{
        "slug": "start", "title": "Start", "steps": ["Sit tall.", "Rest your hand on the desk."],
        "translations": {"es": {
            "title": "Inicio", "steps": ["Siéntese recto.", "Apoye la mano en la mesa."],
        }},
    }],
}  # fmt: skip


# --- The standard library ------------------------------------------------------------


def test_the_spanish_library_covers_every_exercise_and_movement():
    for entry in EXERCISES:
        spanish = exercise_library_es.EXERCISES[entry["slug"]]
        assert set(spanish["movements"]) == {movement["slug"] for movement in entry["movements"]}
    assert set(exercise_library_es.EXERCISES) == {entry["slug"] for entry in EXERCISES}


@pytest.mark.parametrize("language", translated_languages())
def test_every_standard_exercise_is_complete_in_every_language(language):
    incomplete = [
        exercise.slug
        for exercise in Exercise.objects.standard().prefetch_related("movements")
        if not exercise_text(exercise, language).is_complete
    ]
    assert incomplete == []


def test_a_spanish_step_list_matches_the_english_one_step_for_step():
    for exercise in Exercise.objects.standard().prefetch_related("movements"):
        for movement in exercise.movements.all():
            assert len(movement.translations["es"]["steps"]) == len(movement.steps), movement


def test_loading_the_catalogue_again_keeps_the_translations():
    catalogue.load_standard_catalogue(*_catalogue_models())

    exercise = standard_exercise("tibial-slider")
    assert exercise.translations["es"]["name"] == "Deslizar el nervio tibial"
    assert exercise.movements.first().translations["es"]["title"] == "Punta del pie estirada, mire abajo"


def _catalogue_models():
    from assessments.models import NeuroTest, TestStep

    return NeuroTest, TestStep, Exercise, ExerciseMovement


# --- The model ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "translations",
    [
        {"fr": {"name": "Glissement"}},
        {"es": {"nombre": "Deslizar"}},
        {"es": {"name": ["Deslizar"]}},
        {"es": "Deslizar"},
        ["es"],
    ],
)
def test_an_exercise_refuses_translations_of_the_wrong_shape(clinic, translations):
    exercise = ExerciseFactory(clinic=clinic, translations=translations)

    with pytest.raises(ValidationError):
        exercise.full_clean()


def test_a_movement_refuses_steps_that_are_not_a_list_of_texts(clinic):
    movement = ExerciseFactory(clinic=clinic).movements.get()
    movement.translations = {"es": {"steps": "Siéntese."}}

    with pytest.raises(ValidationError):
        movement.full_clean()


# --- The API -----------------------------------------------------------------------


def test_a_standard_exercise_shows_its_translations_and_languages(therapist):
    body = api_client(therapist).get("/api/v1/exercises/median-nerve-slider/").json()

    assert body["languages"] == ["en", "es"]
    assert body["translations"]["es"]["name"] == "Deslizar el nervio mediano"
    assert body["movements"][0]["translations"]["es"]["steps"][0] == "Siéntese o póngase de pie, bien recto."


def test_an_admin_adds_an_exercise_with_its_spanish_text(clinic_admin):
    response = api_client(clinic_admin).post("/api/v1/exercises/", SPANISH_DESK_SLIDER, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["languages"] == ["en", "es"]
    exercise = Exercise.objects.get(slug="desk-median-slider")
    assert exercise.translations["es"]["name"] == "Deslizar el nervio en la mesa"
    assert exercise.movements.get().translations["es"]["steps"] == [
        "Siéntese recto.",
        "Apoye la mano en la mesa.",
    ]


def test_an_exercise_translated_in_part_is_not_listed_in_that_language(clinic_admin):
    payload = copy.deepcopy(SPANISH_DESK_SLIDER)
    del payload["movements"][0]["translations"]

    response = api_client(clinic_admin).post("/api/v1/exercises/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["languages"] == ["en"]


@pytest.mark.parametrize(
    ("translations", "detail"),
    [
        ({"fr": {"name": "Glissement"}}, "Glide does not print in 'fr'; choose among: es."),
        ({"es": {"name": ["Deslizar"]}}, "es: name: Not a valid string."),
        ({"es": {"name": "x" * 121}}, "es: name: Ensure this field has no more than 120 characters."),
        ({"es": "Deslizar"}, "es: Invalid data. Expected a dictionary, but got str."),
    ],
)
def test_translations_of_the_wrong_shape_are_refused_on_the_field(clinic_admin, translations, detail):
    payload = {**SPANISH_DESK_SLIDER, "translations": translations}

    response = api_client(clinic_admin).post("/api/v1/exercises/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "detail": detail, "attr": "translations"}]
    assert not Exercise.objects.filter(slug="desk-median-slider").exists()


def test_a_movements_translations_are_refused_on_the_movement(clinic_admin):
    payload = copy.deepcopy(SPANISH_DESK_SLIDER)
    payload["movements"][0]["translations"] = {"es": {"steps": "Siéntese."}}

    response = api_client(clinic_admin).post("/api/v1/exercises/", payload, format="json")

    assert response.status_code == 400
    assert error_attrs(response) == {"movements.0.translations"}


@pytest.fixture
def spanish_plan(patient, therapist):
    patient.preferred_language = "es"
    patient.save()
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItem.objects.create(plan=plan, exercise=standard_exercise("ulnar-nerve-slider"), order=0)
    return plan


def test_the_api_prints_a_handout_in_the_language_asked_for(therapist, spanish_plan):
    response = api_client(therapist).get(f"/api/v1/plans/{spanish_plan.pk}/handout.pdf?lang=en")

    assert response.status_code == 200
    assert 'filename="home-exercises-' in response["Content-Disposition"]
    assert HandoutPrint.objects.get().language == "en"


def test_the_api_prints_in_the_patients_language_by_default(therapist, spanish_plan):
    response = api_client(therapist).get(f"/api/v1/plans/{spanish_plan.pk}/handout.pdf")

    assert 'filename="ejercicios-en-casa-' in response["Content-Disposition"]
    assert HandoutPrint.objects.get().language == "es"


def test_a_handout_in_an_unknown_language_is_refused_as_json(therapist, spanish_plan):
    response = api_client(therapist).get(
        f"/api/v1/plans/{spanish_plan.pk}/handout.pdf?lang=klingon", HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 400
    assert error_attrs(response) == {"lang"}
    assert not HandoutPrint.objects.exists()


def test_the_schema_documents_the_handouts_languages(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/plans/{id}/handout.pdf"]["get"]["parameters"]

    lang = next(parameter for parameter in parameters if parameter["name"] == "lang")
    assert lang["schema"]["enum"] == ["en", "es"]
    assert "preferred language" in lang["description"]
    exercise = schema["components"]["schemas"]["Exercise"]["properties"]
    assert {"translations", "languages"} <= set(exercise)


# --- The plan pages ----------------------------------------------------------------


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def english_only_exercise(clinic):
    return ExerciseFactory(clinic=clinic, name="Towel glide")


def test_the_plan_page_warns_before_printing_what_would_print_in_english(
    therapist_client, spanish_plan, english_only_exercise
):
    PlanItem.objects.create(plan=spanish_plan, exercise=english_only_exercise, order=1)

    page = therapist_client.get(reverse("plan-detail", args=[spanish_plan.pk])).text

    assert "handout prints in Spanish, but not every exercise is written in Spanish" in page
    assert "<li>Towel glide</li>" in page
    assert "<li>Ulnar nerve slider</li>" not in page
    assert '<option value="es" selected>' in page


def test_the_plan_page_does_not_warn_when_everything_is_translated(therapist_client, spanish_plan):
    page = therapist_client.get(reverse("plan-detail", args=[spanish_plan.pk])).text

    assert "not every exercise is written" not in page


def test_the_plan_builder_marks_an_exercise_that_would_print_in_english(
    therapist_client, spanish_plan, english_only_exercise
):
    PlanItem.objects.create(plan=spanish_plan, exercise=english_only_exercise, order=1)

    page = therapist_client.get(reverse("plan-edit", args=[spanish_plan.pk])).text

    assert page.count("Not all of it is written in Spanish") == 1


def test_the_plan_builder_asks_for_goals_and_cues_in_the_patients_language(therapist_client, spanish_plan):
    page = therapist_client.get(reverse("plan-edit", args=[spanish_plan.pk])).text

    assert "handout prints in Spanish: write the goals and your cues in Spanish" in page


def test_the_print_page_takes_the_language_of_the_print(therapist_client, spanish_plan):
    response = therapist_client.get(reverse("plan-handout", args=[spanish_plan.pk]), {"lang": "en"})

    assert response["Content-Type"] == "application/pdf"
    assert HandoutPrint.objects.get().language == "en"
