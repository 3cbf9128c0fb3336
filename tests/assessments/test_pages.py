import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Plan, StepFinding, TestResult
from clinic.models import AuditEvent
from tests.factories import (
    AssessmentFactory,
    ExerciseFactory,
    PlanFactory,
    PlanItemFactory,
    StepFindingFactory,
    TestResultFactory,
    standard_exercise,
    standard_test,
)
from tests.pages import (
    ACTIONS,
    DELIVERIES,
    FORMS,
    READS,
    Page,
    glide_rows,
    last_event_id,
    page_names,
    wrong_methods,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


def visit(patient, therapist, days_ago, onset=50, findings=1):
    assessment = AssessmentFactory(
        patient=patient, therapist=therapist, performed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    for side in ("left", "right"):
        result = TestResultFactory(
            assessment=assessment, side=side, range_at_onset_deg=onset, range_at_max_deg=onset + 15
        )
        for step in result.test.steps.all()[:findings]:
            StepFindingFactory(result=result, step=step, intensity=4)
    return assessment


def grid_post(**fields):
    """A new assessment's form with SLR picked, the left side filled in."""
    data = {
        "performed_at": "2026-11-20T10:30",
        "complaint": "Pulling behind the left thigh",
        "notes": "",
        "tests": [str(standard_test("SLR").pk)],
        "action": "save",
        "SLR-left-range_at_onset_deg": "55",
        "SLR-left-range_at_max_deg": "70",
        "SLR-left-differentiation": "increased",
        "SLR-left-hip-flexion-symptoms_reproduced": "partial",
        "SLR-left-hip-flexion-symptom_kinds": ["stretch"],
        "SLR-left-hip-flexion-location": "back of thigh",
        "SLR-left-hip-flexion-intensity": "3",
        "SLR-left-ankle-dorsiflexion-symptoms_reproduced": "full",
        "SLR-left-ankle-dorsiflexion-symptom_kinds": ["pain", "pins-and-needles"],
        "SLR-left-ankle-dorsiflexion-intensity": "6",
        "SLR-right-differentiation": "not_tested",
    }
    data.update(fields)
    return data


# --- The patient's chart -------------------------------------------------------------------


def test_chart_shows_demographics_visits_progress_and_plans(therapist_client, patient, therapist):
    visit(patient, therapist, days_ago=14, onset=45)
    visit(patient, therapist, days_ago=2, onset=60)
    PlanItemFactory(plan=PlanFactory(patient=patient, therapist=therapist, goals="Sit through a meeting"))

    response = therapist_client.get(reverse("patient-chart", args=[patient.pk]))

    assert "A-1001" in response.text and "Mar 2, 1985" in response.text
    assert response.text.count('class="visit"') == 2
    assert '<svg class="progress-chart"' in response.text
    assert "SLR, left side: P1 and P2 over 2 visits" in response.text
    assert "P1 60°" in response.text
    assert "Sit through a meeting" in response.text
    assert standard_exercise("active-hamstring-mobilization").name in response.text


def test_opening_a_chart_is_traced(therapist_client, patient, therapist):
    therapist_client.get(reverse("patient-chart", args=[patient.pk]))

    event = AuditEvent.objects.get(action="view", patient=patient)
    assert event.actor == therapist


def test_another_clinics_chart_is_not_found(client, outsider, patient):
    client.force_login(outsider)

    assert client.get(reverse("patient-chart", args=[patient.pk])).status_code == 404


def test_chart_queries_do_not_grow_with_visits_or_findings(therapist_client, patient, therapist):
    def queries_for_chart():
        with CaptureQueriesContext(connection) as captured:
            assert therapist_client.get(reverse("patient-chart", args=[patient.pk])).status_code == 200
        return len(captured)

    for days_ago in (20, 10):
        visit(patient, therapist, days_ago)
    with_two = queries_for_chart()
    for days_ago in range(9, 3, -1):
        visit(patient, therapist, days_ago, findings=4)
    with_eight = queries_for_chart()

    assert with_eight == with_two


# --- Assessments ----------------------------------------------------------------------------


def test_new_assessment_offers_the_most_used_tests_first(therapist_client, patient, therapist):
    visit(patient, therapist, days_ago=3)  # SLR used once in this clinic

    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]))

    picker = response.text[response.text.index("test-options") :]
    assert picker.index("SLR · Straight leg raise") < picker.index("SLUMP · Slump test")


def test_each_picked_test_gets_a_grid_per_side_with_one_row_per_step_in_order(therapist_client, patient):
    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]), {"tests": "SLR"})

    slr = standard_test("SLR")
    steps = [step.name for step in slr.steps.all()]
    left = response.text[
        response.text.index('id="grid-SLR-left"') : response.text.index('id="grid-SLR-right"')
    ]
    positions = [left.index(name) for name in steps]
    assert positions == sorted(positions)
    assert 'name="SLR-right-neck-flexion-intensity"' in response.text
    for level in ("none", "partial", "full"):
        assert f'name="SLR-left-hip-flexion-symptoms_reproduced" value="{level}"' in response.text


def test_saving_a_draft_records_results_and_findings_and_traces_it(therapist_client, patient, therapist):
    response = therapist_client.post(reverse("assessment-new", args=[patient.pk]), grid_post())

    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment-edit", args=[assessment.pk])
    assert assessment.status == "draft" and assessment.therapist == therapist
    result = assessment.results.get()  # the right side was left blank
    assert (result.side, result.range_at_onset_deg, result.interpretation) == ("left", 55, "positive")
    kinds = {finding.step.code: finding.symptom_kinds for finding in result.findings.all()}
    assert kinds == {"hip-flexion": ["stretch"], "ankle-dorsiflexion": ["pain", "pins-and-needles"]}
    assert AuditEvent.objects.filter(action="create", object_id=str(assessment.pk)).exists()


def test_an_intensity_out_of_range_keeps_the_input_and_says_so_beside_it(therapist_client, patient):
    response = therapist_client.post(
        reverse("assessment-new", args=[patient.pk]), grid_post(**{"SLR-left-hip-flexion-intensity": "11"})
    )

    assert response.status_code == 200
    assert Assessment.objects.count() == 0
    row = response.text[response.text.index('name="SLR-left-hip-flexion-intensity"') :]
    assert 'value="11"' in row[:200]
    assert "less than or equal to 10" in row[:600]
    assert 'value="back of thigh"' in response.text


def test_a_rule_of_the_services_is_shown_beside_the_field_it_names(therapist_client, patient):
    response = therapist_client.post(
        reverse("assessment-new", args=[patient.pk]), grid_post(**{"SLR-left-range_at_max_deg": "40"})
    )

    assert Assessment.objects.count() == 0
    assert Page(response.text).description_of("id_SLR-left-range_at_max_deg") == (
        "P2 (range at maximum symptoms) cannot be below P1 (onset)."
    )


def test_editing_a_draft_shows_what_was_recorded_and_saves_changes(therapist_client, patient, therapist):
    therapist_client.post(reverse("assessment-new", args=[patient.pk]), grid_post())
    assessment = Assessment.objects.get()

    page = therapist_client.get(reverse("assessment-edit", args=[assessment.pk]))
    assert 'name="SLR-left-range_at_onset_deg" value="55"' in page.text
    therapist_client.post(
        reverse("assessment-edit", args=[assessment.pk]),
        grid_post(version="1", **{"SLR-left-range_at_onset_deg": "60"}),
    )

    assessment.refresh_from_db()
    assert assessment.version == 2
    assert assessment.results.get().range_at_onset_deg == 60


def test_a_stale_draft_is_not_saved_over_someone_elses_changes(therapist_client, patient, therapist):
    therapist_client.post(reverse("assessment-new", args=[patient.pk]), grid_post())
    assessment = Assessment.objects.get()
    services.update_assessment(assessment, complaint="Changed meanwhile")

    response = therapist_client.post(reverse("assessment-edit", args=[assessment.pk]), grid_post(version="1"))

    assert "saved by someone else" in response.text
    assessment.refresh_from_db()
    assert assessment.complaint == "Changed meanwhile"


def test_save_and_sign_signs_the_note(therapist_client, patient, therapist):
    response = therapist_client.post(reverse("assessment-new", args=[patient.pk]), grid_post(action="sign"))

    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment-detail", args=[assessment.pk])
    assert assessment.is_signed and assessment.signed_by == therapist
    assert set(AuditEvent.objects.filter(object_id=str(assessment.pk)).values_list("action", flat=True)) == {
        "create",
        "sign",
    }


def test_a_signed_assessment_reads_only_and_cannot_be_edited(therapist_client, patient, therapist):
    therapist_client.post(reverse("assessment-new", args=[patient.pk]), grid_post(action="sign"))
    assessment = Assessment.objects.get()

    detail = therapist_client.get(reverse("assessment-detail", args=[assessment.pk]))
    edit = therapist_client.post(reverse("assessment-edit", args=[assessment.pk]), grid_post(version="2"))

    assert "Signed by" in detail.text and "Add addendum" in detail.text
    assert 'name="SLR-left-range_at_onset_deg"' not in detail.text
    assert edit["Location"] == reverse("assessment-detail", args=[assessment.pk])
    assert TestResult.objects.get().range_at_onset_deg == 55


def test_adding_an_addendum_to_a_signed_note(therapist_client, patient, therapist):
    assessment = services.sign_assessment(
        AssessmentFactory(patient=patient, therapist=therapist), signed_by=therapist
    )

    response = therapist_client.post(
        reverse("assessment-addendum", args=[assessment.pk]), {"text": "Patient called: symptoms eased."}
    )

    assert response.status_code == 302
    assert assessment.addenda.get().text == "Patient called: symptoms eased."
    assert AuditEvent.objects.filter(action="addendum", object_id=str(assessment.pk)).exists()
    assert "Patient called: symptoms eased." in therapist_client.get(response["Location"]).text


def test_an_empty_addendum_says_what_is_missing(therapist_client, patient, therapist):
    assessment = services.sign_assessment(
        AssessmentFactory(patient=patient, therapist=therapist), signed_by=therapist
    )

    response = therapist_client.post(reverse("assessment-addendum", args=[assessment.pk]), {"text": ""})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert assessment.addenda.count() == 0


def test_a_draft_is_signed_from_its_page(therapist_client, patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)

    therapist_client.post(reverse("assessment-sign", args=[assessment.pk]))

    assessment.refresh_from_db()
    assert assessment.is_signed


def test_a_viewer_reads_assessments_but_cannot_write_them(client, viewer, patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    client.force_login(viewer)

    assert client.get(reverse("assessment-detail", args=[assessment.pk])).status_code == 200
    assert client.get(reverse("assessment-new", args=[patient.pk])).status_code == 403
    assert client.post(reverse("assessment-new", args=[patient.pk]), grid_post()).status_code == 403
    assert client.post(reverse("assessment-sign", args=[assessment.pk])).status_code == 403
    assert Assessment.objects.get().status == "draft"


def test_another_clinics_assessment_is_not_found(client, outsider, patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    client.force_login(outsider)

    assert client.get(reverse("assessment-detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessment-edit", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessment-new", args=[patient.pk])).status_code == 404
    assert client.post(reverse("assessment-addendum", args=[assessment.pk]), {"text": "x"}).status_code == 404


def test_opening_an_assessment_is_traced(therapist_client, patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)

    therapist_client.get(reverse("assessment-detail", args=[assessment.pk]))

    assert AuditEvent.objects.filter(action="view", object_id=str(assessment.pk)).count() == 1


def test_assessment_page_queries_do_not_grow_with_findings(therapist_client, patient, therapist):
    def queries_for(assessment):
        with CaptureQueriesContext(connection) as captured:
            therapist_client.get(reverse("assessment-detail", args=[assessment.pk]))
        return len(captured)

    few = visit(patient, therapist, days_ago=5, findings=1)
    many = visit(patient, therapist, days_ago=4, findings=5)

    assert queries_for(many) == queries_for(few)


@pytest.mark.parametrize(
    ("reproduced", "differentiation", "expected"),
    [
        (["partial", "none"], "increased", "positive"),
        (["none"], "increased", "negative"),
        ([], "not_tested", "inconclusive"),
    ],
)
def test_the_interpretation_preview_applies_the_clinical_rule(
    therapist_client, reproduced, differentiation, expected
):
    response = therapist_client.get(
        reverse("interpretation-preview"), {"reproduced": reproduced, "differentiation": differentiation}
    )

    assert response.json()["interpretation"] == expected


# --- Plans ------------------------------------------------------------------------------------


def test_the_plan_builder_lists_the_library_with_filters(therapist_client, patient):
    response = therapist_client.get(reverse("plan-new", args=[patient.pk]))

    assert standard_exercise("active-hamstring-mobilization").name in response.text
    assert '<label for="id_kind">' in response.text and '<label for="id_nerve">' in response.text


def test_adding_exercises_keeps_them_in_the_form_until_saved(therapist_client, patient):
    hamstring = standard_exercise("active-hamstring-mobilization")

    response = therapist_client.post(
        reverse("plan-new", args=[patient.pk]),
        {"goals": "Sit longer", "item-count": "0", "add": str(hamstring.pk)},
    )

    assert 'name="item-0-exercise"' in response.text and str(hamstring.pk) in response.text
    assert 'name="item-0-reps" value="10"' in response.text
    assert Plan.objects.count() == 0


def plan_post(*exercises, **fields):
    data = {
        "goals": "Sit through a meeting",
        "start_date": "2026-11-24",
        "review_date": "2026-12-08",
        "status": "active",
        "item-count": str(len(exercises)),
    }
    for index, exercise in enumerate(exercises):
        data.update(
            {
                f"item-{index}-exercise": str(exercise.pk),
                f"item-{index}-sets": "1",
                f"item-{index}-reps": "10",
                f"item-{index}-hold_seconds": "0",
                f"item-{index}-times_per_day": "2",
                f"item-{index}-days_per_week": "7",
                f"item-{index}-side": "both",
                f"item-{index}-cues": "",
            }
        )
    data.update(fields)
    return data


def test_moving_an_exercise_up_reorders_the_plan(therapist_client, patient):
    first, second = (
        standard_exercise("active-hamstring-mobilization"),
        standard_exercise("median-nerve-slider"),
    )

    response = therapist_client.post(
        reverse("plan-new", args=[patient.pk]), plan_post(first, second, move="1:up")
    )

    items = response.text[response.text.index('id="items-title"') : response.text.index('id="library-title"')]
    assert items.index(second.name) < items.index(first.name)


def test_saving_a_plan_from_an_assessment(therapist_client, patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    first, second = standard_exercise("active-hamstring-mobilization"), standard_exercise("tibial-slider")

    response = therapist_client.post(
        reverse("plan-new", args=[patient.pk]) + f"?assessment={assessment.pk}",
        plan_post(first, second, save="1", **{"item-1-reps": "15"}),
    )

    plan = Plan.objects.get()
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert plan.assessment == assessment
    assert [(item.exercise.slug, item.reps) for item in plan.items.order_by("order")] == [
        ("active-hamstring-mobilization", 10),
        ("tibial-slider", 15),
    ]
    assert AuditEvent.objects.filter(action="create", object_id=str(plan.pk)).exists()


def test_a_dose_out_of_range_keeps_the_plan_as_typed(therapist_client, patient):
    first = standard_exercise("active-hamstring-mobilization")

    response = therapist_client.post(
        reverse("plan-new", args=[patient.pk]), plan_post(first, save="1", **{"item-0-reps": "0"})
    )

    assert Plan.objects.count() == 0
    assert 'name="item-0-reps" value="0"' in response.text
    assert "greater than or equal to 1" in response.text
    assert "Sit through a meeting" in response.text


def test_editing_a_plan_replaces_its_exercises(therapist_client, patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)

    page = therapist_client.get(reverse("plan-edit", args=[plan.pk]))
    assert f'name="item-0-exercise" value="{plan.items.get().exercise_id}"' in page.text
    therapist_client.post(
        reverse("plan-edit", args=[plan.pk]),
        plan_post(standard_exercise("ulnar-nerve-slider"), save="1", version="1"),
    )

    assert [item.exercise.slug for item in plan.items.all()] == ["ulnar-nerve-slider"]


def test_another_clinics_exercise_cannot_be_added(therapist_client, patient, other_clinic):
    foreign = ExerciseFactory(clinic=other_clinic)

    response = therapist_client.post(reverse("plan-new", args=[patient.pk]), plan_post(foreign, save="1"))

    assert Plan.objects.count() == 0
    assert "not in your clinic&#x27;s library" in response.text


def test_print_handout_returns_the_pdf_and_traces_the_print(therapist_client, patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)

    response = therapist_client.get(reverse("plan-handout", args=[plan.pk]), {"paper": "a4"})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="print", object_id=str(plan.pk)).exists()


def test_plan_pages_of_another_clinic_are_not_found(client, outsider, patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    client.force_login(outsider)

    for name in ("plan-detail", "plan-edit", "plan-handout"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert client.get(reverse("plan-new", args=[patient.pk])).status_code == 404


def test_a_viewer_reads_a_plan_but_cannot_change_it(client, viewer, patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    client.force_login(viewer)

    detail = client.get(reverse("plan-detail", args=[plan.pk]))

    assert detail.status_code == 200 and "Edit plan" not in detail.text
    assert client.get(reverse("plan-edit", args=[plan.pk])).status_code == 403
    assert AuditEvent.objects.filter(action="view", object_id=str(plan.pk)).exists()


def test_finding_kind_labels_are_the_models(therapist_client, patient):
    response = therapist_client.get(reverse("assessment-new", args=[patient.pk]), {"tests": "SLUMP"})

    for _, label in StepFinding.SymptomKind.choices:
        assert label in response.text


def test_showing_more_grids_keeps_what_was_typed_without_saving_or_complaining(therapist_client, patient):
    tests = [str(standard_test("SLR").pk), str(standard_test("SLUMP").pk)]

    response = therapist_client.post(
        reverse("assessment-new", args=[patient.pk]), grid_post(action="pick", tests=tests)
    )

    assert 'name="SLUMP-right-knee-extension-intensity"' in response.text
    assert 'name="SLR-left-range_at_onset_deg" value="55"' in response.text
    assert "This field is required." not in response.text
    assert Assessment.objects.count() == 0


# --- A field's errors are read with it ------------------------------------------------------


def test_a_grid_fields_error_is_what_its_input_is_described_by(therapist_client, patient):
    response = therapist_client.post(
        reverse("assessment-new", args=[patient.pk]),
        grid_post(**{"SLR-left-hip-flexion-intensity": "11"}),
    )

    page = Page(response.text)
    assert page.description_of("id_SLR-left-hip-flexion-intensity") == (
        "Ensure this value is less than or equal to 10."
    )


def test_a_choice_of_symptoms_with_an_error_is_described_by_it(therapist_client, patient):
    response = therapist_client.post(
        reverse("assessment-new", args=[patient.pk]),
        grid_post(**{"SLR-left-hip-flexion-symptoms_reproduced": "everywhere"}),
    )

    page = Page(response.text)
    error_id = "id_SLR-left-hip-flexion-symptoms_reproduced_error"
    assert "Select a valid choice." in page.texts[error_id]
    assert [error_id] in page.descriptions.values()


def signed(patient, therapist):
    return services.sign_assessment(
        AssessmentFactory(patient=patient, therapist=therapist), signed_by=therapist
    )


@pytest.mark.parametrize(
    ("address", "data"),
    [
        (
            lambda patient, therapist: reverse("assessment-new", args=[patient.pk]),
            lambda: grid_post(tests=["not-a-test"]),
        ),
        (
            lambda patient, therapist: reverse("assessment-new", args=[patient.pk]),
            lambda: grid_post(
                **{
                    "SLR-left-range_at_onset_deg": "-1",
                    "SLR-left-hip-flexion-symptom_kinds": ["itch"],
                    "SLR-left-hip-flexion-location": "x" * 121,
                    "SLR-left-hip-flexion-intensity": "11",
                }
            ),
        ),
        (
            lambda patient, therapist: reverse("plan-new", args=[patient.pk]),
            lambda: plan_post(
                standard_exercise("active-hamstring-mobilization"), save="1", **{"item-0-reps": "0"}
            ),
        ),
        (
            lambda patient, therapist: reverse("assessment-addendum", args=[signed(patient, therapist).pk]),
            lambda: {"text": ""},
        ),
    ],
    ids=["tests picked", "assessment grid", "plan builder", "addendum"],
)
def test_every_field_with_an_error_is_described_by_one_element_of_the_page(
    therapist_client, patient, therapist, address, data
):
    url = address(patient, therapist)

    response = therapist_client.post(url, data())

    page = Page(response.text)
    assert page.descriptions, "no field was described"
    assert page.broken_descriptions() == []


# --- Each page answers only the methods it means ------------------------------------------

PAGES = {  # URL name: (the record its address names, the methods it answers)
    "patient-chart": ("patient", READS),
    "assessment-new": ("patient", FORMS),
    "interpretation-preview": (None, READS),
    "assessment-detail": ("signed", READS),
    "assessment-edit": ("draft", FORMS),
    "assessment-sign": ("draft", ACTIONS),
    "assessment-addendum": ("signed", ACTIONS),
    "plan-new": ("patient", FORMS),
    "plan-detail": ("plan", READS),
    "plan-edit": ("plan", FORMS),
    "plan-handout": ("plan", DELIVERIES),
}


@pytest.fixture
def records(patient, therapist):
    signed = AssessmentFactory(patient=patient, therapist=therapist)
    StepFindingFactory(result=TestResultFactory(assessment=signed))
    plan = PlanFactory(patient=patient, therapist=therapist, assessment=signed)
    PlanItemFactory(plan=plan)
    return {
        "patient": patient,
        "draft": AssessmentFactory(patient=patient, therapist=therapist),
        "signed": services.sign_assessment(signed, signed_by=therapist),
        "plan": plan,
    }


def test_every_page_of_the_app_is_in_the_methods_table():
    assert set(page_names("assessments.pages")) == set(PAGES)


@pytest.mark.parametrize(("name", "method"), wrong_methods(PAGES))
def test_a_method_a_page_does_not_mean_is_refused_with_405_and_leaves_no_trace(
    client, clinic_admin, records, name, method
):
    client.force_login(clinic_admin)
    record, _ = PAGES[name]
    url = reverse(name, args=[records[record].pk] if record else [])
    rows, since = glide_rows(), last_event_id()

    response = getattr(client, method)(url, {"text": "Seen again."} if method == "post" else None)

    assert response.status_code == 405
    assert AuditEvent.objects.filter(id__gt=since).count() == 0
    assert glide_rows() == rows


def test_a_page_that_reads_answers_head_like_get(therapist_client, patient):
    response = therapist_client.head(reverse("patient-chart", args=[patient.pk]))

    assert response.status_code == 200
    assert response.content == b""
