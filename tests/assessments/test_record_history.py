"""Every change to a patient, a draft assessment (with its results and findings), a
plan (with its exercises) and a catalogue entry is kept with who made it and when,
and the history is readable in the admin."""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from assessments import services
from assessments.models import Exercise, NeuroTest, Plan, PlanItem, StepFinding, TestResult
from clinic.models import Patient

from ..factories import ExerciseFactory, PlanFactory, UserFactory, standard_exercise, standard_test
from .test_interrupted_writes import slr_results


def edit_draft(request, pk):
    """Stands in for the web page and API view that edit a draft through the service."""
    draft = services.create_assessment(
        therapist=request.user, patient=Patient.objects.get(pk=pk), results=slr_results(intensity=6)
    )
    services.update_assessment(draft, expected_version=1, notes="Worse after driving", results=slr_results(2))
    return HttpResponse(str(draft.pk))


def change_plan(request, pk):
    services.update_plan(
        Plan.objects.get(pk=pk),
        expected_version=1,
        goals="Walk the dog for 20 minutes",
        items=[{"exercise": standard_exercise("active-hamstring-mobilization"), "sets": 2, "reps": 8}],
    )
    return HttpResponse()


def change_exercise(request, pk):
    exercise = Exercise.objects.get(pk=pk)
    exercise.precautions = "Stop if your foot tingles."
    exercise.save()
    return HttpResponse()


urlpatterns = [
    path("admin/", include("clinic.urls")),
    path("patients/<uuid:pk>/draft/", edit_draft),
    path("plans/<uuid:pk>/change/", change_plan),
    path("exercises/<uuid:pk>/change/", change_exercise),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def staff():
    return UserFactory(username="office", is_staff=True, is_superuser=True)


def test_a_patient_changed_in_the_admin_keeps_who_changed_it(client, staff, patient):
    client.force_login(staff)
    response = client.post(
        f"/admin/admin/clinic/patient/{patient.pk}/change/",
        {
            "clinic": patient.clinic_id,
            "chart_number": patient.chart_number,
            "given_name": "Ada",
            "family_name": "King",
            "date_of_birth": "1985-03-02",
            "sex": "female",
            "phone": "+1 555 0199",
            "email": "",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302, response.content
    latest = patient.history.first()
    assert (latest.family_name, latest.history_user, latest.history_type) == ("King", staff, "~")
    assert latest.prev_record.family_name == "Byron"


def test_a_draft_edited_in_a_request_keeps_who_changed_it_down_to_each_finding(client, therapist, patient):
    client.force_login(therapist)
    draft_id = client.post(f"/patients/{patient.pk}/draft/").content.decode()

    draft_history = list(patient.assessments.get(pk=draft_id).history.order_by("history_date"))
    assert [(row.version, row.history_user) for row in draft_history] == [(1, therapist), (2, therapist)]
    assert draft_history[-1].notes == "Worse after driving"
    result_ids = TestResult.history.filter(assessment_id=draft_id).values("id")
    finding_history = StepFinding.history.filter(result_id__in=result_ids)
    assert {row.history_user for row in finding_history} == {therapist}
    assert sorted(finding_history.values_list("history_type", "intensity")) == [
        ("+", 2), ("+", 3), ("+", 3), ("+", 6), ("-", 3), ("-", 6)
    ]  # fmt: skip
    assert set(TestResult.history.filter(assessment_id=draft_id).values_list("history_type", flat=True)) == {
        "+",
        "-",
    }


def test_a_plan_changed_in_a_request_keeps_who_changed_it_and_its_exercises(client, therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    client.force_login(therapist)
    client.post(f"/plans/{plan.pk}/change/")

    latest = plan.history.first()
    assert (latest.goals, latest.history_user) == ("Walk the dog for 20 minutes", therapist)
    item = PlanItem.history.get(plan_id=plan.pk)
    assert (item.sets, item.reps, item.history_user, item.history_type) == (2, 8, therapist, "+")


def test_a_catalogue_entry_changed_in_a_request_keeps_who_changed_it(client, clinic, clinic_admin):
    exercise = ExerciseFactory(clinic=clinic)
    client.force_login(clinic_admin)
    client.post(f"/exercises/{exercise.pk}/change/")
    latest = exercise.history.first()
    assert (latest.precautions, latest.history_user) == ("Stop if your foot tingles.", clinic_admin)


def test_a_change_outside_any_request_is_kept_without_a_user(patient):
    patient.archive()
    assert patient.history.first().history_user is None
    assert patient.history.first().archived_at is not None


@pytest.mark.parametrize(
    "model_path, record",
    [
        ("clinic/patient", lambda patient: patient),
        ("assessments/assessment", lambda patient: services.create_assessment(
            therapist=UserFactory(), patient=patient, results=slr_results())),
        ("assessments/plan", lambda patient: PlanFactory(patient=patient)),
        ("assessments/neurotest", lambda patient: standard_test("SLR")),
        ("assessments/exercise", lambda patient: ExerciseFactory(clinic=patient.clinic)),
    ],
)  # fmt: skip
def test_the_admin_shows_a_records_history_to_staff(client, staff, patient, model_path, record):
    instance = record(patient)
    if isinstance(instance, NeuroTest):
        instance.description = "Edited"
        instance.save()
    client.force_login(staff)
    response = client.get(f"/admin/admin/{model_path}/{instance.pk}/history/")
    assert response.status_code == 200
    assert b"history" in response.content.lower()
