"""
The clinical pages of the web app: a patient's chart with progress charts, the
assessment grid (new, edit draft, sign, addenda) and the plan builder with its
printed handout.

Everything is scoped to the current clinic (``clinic.pages.clinic_page``); each
page answers only the methods it means, as ``clinic.pages`` sets out; every read
of a patient's record and every write leaves an audit event; writes go through
``assessments.services``, the same code as the API.
"""

from collections import defaultdict

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.views.decorators.http import require_GET, require_POST, require_safe

from clinic import audit
from clinic.models import AuditEvent
from clinic.pages import clinic_page, get_patient, require_form_methods, require_writer

from . import charts, handouts, interpretation, services, translations
from .forms import (
    AssessmentForm,
    LibraryFilterForm,
    PlanForm,
    PlanItemForm,
    build_grids,
    collect_results,
    error_summary,
    place_errors,
    plan_error_summary,
)
from .models import Assessment, Exercise, Plan, PlanItem, Side, StepFinding, TestResult

Action = AuditEvent.Action
SYMPTOM_KIND_LABELS = dict(StepFinding.SymptomKind.choices)
MAX_PLAN_ITEMS = 30


class AddendumForm(django_forms.Form):
    text = django_forms.CharField(label="Addendum", widget=django_forms.Textarea(attrs={"rows": 3}))


def clinic_assessments(request):
    return Assessment.objects.filter(clinic=request.clinic)


def clinic_plans(request):
    return Plan.objects.filter(clinic=request.clinic)


# --- The patient's chart ---------------------------------------------------------------


def progress_by_test(results):
    """One entry per test, each with one chart per side and its latest reading.
    ``results`` come in visit order with ``worst_intensity`` annotated."""
    series = defaultdict(list)
    tests = {}
    for result in results:
        tests[result.test.code] = result.test
        series[(result.test.code, result.side)].append(result)
    progress = []
    for code in sorted(tests):
        sides = []
        # Both sides on one scale, so that the charts compare at a glance.
        scale = charts.scale_of(
            value
            for side in Side.values
            for r in series.get((code, side), [])
            for value in (r.range_at_onset_deg, r.range_at_max_deg)
        )
        for side in Side.values:
            side_results = series.get((code, side), [])
            points = [
                charts.Point(
                    on=result.assessment.performed_at.date(),
                    p1=result.range_at_onset_deg,
                    p2=result.range_at_max_deg,
                    interpretation=result.final_interpretation,
                )
                for result in side_results
            ]
            title = (
                f"{code}, {side} side: P1 and P2 over {len(points)} visit{'s' if len(points) != 1 else ''}"
            )
            svg = charts.progress_chart(title, points, chart_id=f"chart-{code}-{side}", scale=scale)
            sides.append(
                {
                    "side": Side(side).label,
                    "svg": mark_safe(svg),  # noqa: S308 (the chart escapes all text)
                    "latest": side_results[-1] if side_results else None,
                }
            )
        progress.append({"test": tests[code], "sides": sides})
    return progress


@require_safe
@clinic_page
def patient_chart(request, pk):
    patient = get_patient(request, pk)
    audit.record(request, Action.VIEW, patient)
    results = list(
        TestResult.objects.filter(assessment__patient=patient)
        .select_related("test", "assessment")
        .annotate(worst_intensity=Max("findings__intensity"))
        .order_by("assessment__performed_at", "test__code", "side")
    )
    results_by_visit = defaultdict(list)
    for result in results:
        results_by_visit[result.assessment_id].append(result)
    visits = list(
        patient.assessments.select_related("therapist")
        .annotate(addendum_count=Count("addenda"))
        .order_by("-performed_at")
    )
    for visit in visits:
        visit.recorded_results = results_by_visit[visit.pk]
    plans = list(
        patient.plans.active()
        .select_related("therapist")
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.select_related("exercise")))
    )
    context = {
        "patient": patient,
        "visits": visits,
        "progress": progress_by_test(results),
        "plans": plans,
        "legend": [
            (label, mark_safe(charts.legend_marker_svg(value)))  # noqa: S308
            for value, label in TestResult.Interpretation.choices
        ],
        "nav": "patients",
    }
    return render(request, "assessments/patient_chart.html", context)


# --- Assessments ----------------------------------------------------------------------


def last_visit(patient, assessment=None):
    """The patient's visit before this one (the latest, for a new assessment), with
    its results and findings, or ``None``."""
    visits = Assessment.objects.with_results().filter(patient=patient).order_by("-performed_at")
    if assessment is not None:
        visits = visits.exclude(pk=assessment.pk).filter(performed_at__lte=assessment.performed_at)
    return visits.first()


def chosen_tests(request, form, assessment, last):
    """The tests whose grids the page shows: those ticked in the form, else those
    already recorded, else those named in the address (``?tests=SLR``), else those
    of the last visit (a follow-up mostly re-tests what was tested)."""
    catalogue = list(form.fields["tests"].queryset.prefetch_related("steps"))
    if request.method == "POST":
        wanted = set(request.POST.getlist("tests"))
        return catalogue, [test for test in catalogue if str(test.pk) in wanted]
    if assessment is not None:
        recorded = {result.test_id for result in assessment.results.all()}
        return catalogue, [test for test in catalogue if test.pk in recorded]
    codes = set(request.GET.getlist("tests"))
    if not codes and last is not None:
        return catalogue, [test for test in catalogue if test.pk in {r.test_id for r in last.results.all()}]
    return catalogue, [test for test in catalogue if test.code in codes]


def assessment_form_page(request, patient, assessment=None):
    data = request.POST if request.method == "POST" else None
    initial = {"version": assessment.version} if assessment else {}
    form = AssessmentForm(data, instance=assessment, clinic=request.clinic, initial=initial)
    last = last_visit(patient, assessment)
    catalogue, tests = chosen_tests(request, form, assessment, last)
    form.initial.setdefault("tests", [test.pk for test in tests])
    recorded = (
        {(result.test_id, result.side): result for result in assessment.results.all()} if assessment else {}
    )
    last_results = {(result.test_id, result.side): result for result in last.results.all()} if last else {}
    grids = build_grids(catalogue, data, recorded, shown=tests, last=last_results)
    shown_grids = [grid for grid in grids if grid.shown]
    action = request.POST.get("action") if data else None

    if action in ("save", "sign"):
        # Validate every grid (no short cut) so that each shows its own errors.
        grids_valid = [grid.is_valid() for grid in shown_grids]
        if form.is_valid() and all(grids_valid):
            results, places = collect_results(shown_grids)
            fields = {name: form.cleaned_data[name] for name in ("performed_at", "complaint", "notes")}
            try:
                if assessment is None:
                    saved = services.create_assessment(
                        therapist=request.user, patient=patient, results=results, **fields
                    )
                    audit.record(request, Action.CREATE, saved, results=len(results))
                else:
                    saved = services.update_assessment(
                        assessment, expected_version=form.cleaned_data["version"], results=results, **fields
                    )
                    audit.record(request, Action.UPDATE, saved, results=len(results))
            except ValidationError as error:
                place_errors(error, form, places)
            except services.StaleVersionError:
                form.add_error(
                    None,
                    "This draft was saved by someone else after you opened it. "
                    "Open it again to see their changes before you save.",
                )
            except services.AlreadySignedError:
                messages.error(request, "This assessment was signed meanwhile; add an addendum instead.")
                return redirect("assessment-detail", pk=assessment.pk)
            else:
                if action == "sign":
                    signed = services.sign_assessment(saved, signed_by=request.user)
                    audit.record(request, Action.SIGN, signed)
                    messages.success(request, "The assessment is signed.")
                    return redirect("assessment-detail", pk=signed.pk)
                messages.success(request, "Draft saved.")
                return redirect("assessment-edit", pk=saved.pk)
    elif data is None and assessment is not None:
        last_shown = {"last_visit": str(last.pk)} if last else {}
        audit.record(request, Action.VIEW, assessment, **last_shown)
    elif data is None and last is not None:
        # A new assessment's page shows the last visit's values beside its inputs.
        audit.record(request, Action.VIEW, last, part="last visit beside a new assessment")

    context = {
        "patient": patient,
        "assessment": assessment,
        "form": form,
        "grids": grids,
        "catalogue": catalogue,
        "last": last,
        "any_grid_shown": bool(shown_grids),
        "notable_difference_deg": interpretation.NOTABLE_SIDE_DIFFERENCE_DEG,
        "errors": error_summary(form, grids) if action in ("save", "sign") else [],
        "nav": "patients",
    }
    return render(request, "assessments/assessment_form.html", context)


@require_form_methods
@clinic_page
def assessment_new(request, patient_pk):
    patient = get_patient(request, patient_pk)
    require_writer(request, patient)
    return assessment_form_page(request, patient)


@require_form_methods
@clinic_page
def assessment_edit(request, pk):
    assessment = get_object_or_404(clinic_assessments(request).with_results(), pk=pk)
    if assessment.is_signed:
        return redirect("assessment-detail", pk=assessment.pk)
    require_writer(request, assessment)
    return assessment_form_page(request, assessment.patient, assessment)


def assessment_detail_page(request, assessment, addendum_form=None):
    results = sorted(assessment.results.all(), key=lambda result: (result.test.code, result.side))
    onsets = {(result.test_id, result.side): result.range_at_onset_deg for result in results}
    for result in results:
        other = Side.RIGHT if result.side == Side.LEFT else Side.LEFT
        result.side_difference = interpretation.side_difference_deg(
            result.range_at_onset_deg, onsets.get((result.test_id, other))
        )
        result.side_difference_notable = interpretation.side_difference_is_notable(result.side_difference)
        for finding in result.findings.all():
            finding.kind_labels = [SYMPTOM_KIND_LABELS.get(kind, kind) for kind in finding.symptom_kinds]
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "results": results,
        "addendum_form": addendum_form or AddendumForm(),
        "has_plan": assessment.patient.plans.exists(),
        "nav": "patients",
    }
    return render(request, "assessments/assessment_detail.html", context)


@require_safe
@clinic_page
def assessment_detail(request, pk):
    assessment = get_object_or_404(clinic_assessments(request).with_results(), pk=pk)
    audit.record(request, Action.VIEW, assessment)
    return assessment_detail_page(request, assessment)


@require_POST
@clinic_page
def assessment_sign(request, pk):
    assessment = get_object_or_404(clinic_assessments(request), pk=pk)
    require_writer(request, assessment)
    try:
        signed = services.sign_assessment(assessment, signed_by=request.user)
    except services.AlreadySignedError:
        messages.info(request, "This assessment was already signed.")
    else:
        audit.record(request, Action.SIGN, signed)
        messages.success(request, "The assessment is signed.")
    return redirect("assessment-detail", pk=assessment.pk)


@require_POST
@clinic_page
def addendum_add(request, pk):
    assessment = get_object_or_404(clinic_assessments(request).with_results(), pk=pk)
    require_writer(request, assessment)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            addendum = services.add_addendum(assessment, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            place_errors(error, form)
        else:
            audit.record(request, Action.ADDENDUM, assessment, addendum=str(addendum.pk))
            messages.success(request, "Addendum added.")
            return redirect("assessment-detail", pk=assessment.pk)
    return assessment_detail_page(request, assessment, addendum_form=form)


@require_safe
@clinic_page
def interpretation_preview(request):
    """The computed reading of one test on one side, for the grid to show as the
    therapist types: the rule stays in ``assessments.interpretation`` alone."""
    levels = [
        level for level in request.GET.getlist("reproduced") if level in interpretation.REPRODUCTION_LEVELS
    ]
    differentiation = request.GET.get("differentiation")
    if differentiation not in interpretation.DIFFERENTIATION_RESPONSES:
        differentiation = interpretation.NOT_TESTED
    reading = interpretation.interpret(levels, differentiation)
    return JsonResponse({"interpretation": reading, "label": TestResult.Interpretation(reading).label})


# --- Plans --------------------------------------------------------------------------------

# A row of the plan builder: each field as typed, the days ticked as a list.
ITEM_FIELDS = ("exercise", *PlanItem.DOSE_FIELDS)
LIST_FIELDS = ("weekdays",)


def item_rows_from_post(data):
    """The plan's exercises as typed, in the order shown."""
    try:
        count = min(int(data.get("item-count") or 0), MAX_PLAN_ITEMS)
    except ValueError:
        count = 0

    def typed(index, name):
        key = f"item-{index}-{name}"
        return data.getlist(key)[:7] if name in LIST_FIELDS else data.get(key, "")

    return [{name: typed(index, name) for name in ITEM_FIELDS} for index in range(count)]


def item_rows_from_plan(plan):
    def typed(item, name):
        value = item.exercise_id if name == "exercise" else getattr(item, name)
        return list(value) if name in LIST_FIELDS else str(value)

    return [{name: typed(item, name) for name in ITEM_FIELDS} for item in plan.items.all()]


def new_item_row(exercise):
    return {
        "exercise": str(exercise.pk),
        "sets": str(exercise.default_sets),
        "reps": str(exercise.default_reps),
        "hold_seconds": str(exercise.default_hold_seconds),
        "times_per_day": str(exercise.default_times_per_day),
        "days_per_week": str(exercise.default_days_per_week),
        "weekdays": [],
        "side": PlanItem.Side.BOTH,
        "cues": "",
    }


def apply_builder_action(rows, data, library):
    """Add, move or remove an exercise as the button pressed asks."""
    if data.get("add") in library and len(rows) < MAX_PLAN_ITEMS:
        rows.append(new_item_row(library[data["add"]]))
    if data.get("move"):
        index_text, _, direction = data["move"].partition(":")
        if index_text.isdigit():
            index = int(index_text)
            other = index - 1 if direction == "up" else index + 1
            if 0 <= index < len(rows) and 0 <= other < len(rows):
                rows[index], rows[other] = rows[other], rows[index]
    if (data.get("remove") or "").isdigit() and int(data["remove"]) < len(rows):
        del rows[int(data["remove"])]
    return rows


def bind_items(rows, library):
    data = {f"item-{index}-{name}": value for index, row in enumerate(rows) for name, value in row.items()}
    return [PlanItemForm(data, prefix=f"item-{index}", library=library) for index in range(len(rows))]


def library_matches(exercises, search):
    """Each exercise with whether it matches the library filter. All are listed (the
    others hidden) so that the page's own filter can show them again."""
    text = (search.cleaned_data.get("q") or "").lower()
    kind, nerve = search.cleaned_data.get("kind"), search.cleaned_data.get("nerve")
    return [
        (
            exercise,
            (not text or text in f"{exercise.name} {exercise.nerve}".lower())
            and (not kind or exercise.kind == kind)
            and (not nerve or exercise.nerve == nerve),
        )
        for exercise in exercises
    ]


def plan_form_page(request, patient, plan=None, assessment=None):
    exercises = list(
        Exercise.objects.for_clinic(request.clinic)
        .active()
        .prefetch_related("movements")
        .order_by("region", "nerve", "name")
    )
    by_id = {str(exercise.pk): exercise for exercise in exercises}
    data = request.POST if request.method == "POST" else None
    initial = {"version": plan.version} if plan else {}
    last_plan = None if plan else clinic_plans(request).with_items().filter(patient=patient).first()
    copy_last = data is None and last_plan is not None and request.GET.get("same_as_last") == "1"
    if copy_last:
        initial["goals"] = last_plan.goals
    form = PlanForm(data, instance=plan, initial=initial)
    if data:
        rows = item_rows_from_post(data)
    elif plan or copy_last:
        rows = item_rows_from_plan(plan or last_plan)
    else:
        rows = []
    if data:
        rows = apply_builder_action(rows, data, by_id)
    item_forms = bind_items(rows, by_id)
    search = LibraryFilterForm(data or request.GET, nerves=sorted({exercise.nerve for exercise in exercises}))
    search.is_valid()
    library = library_matches(exercises, search)

    if data and "save" in data:
        items_valid = [item_form.is_valid() for item_form in item_forms]
        if form.is_valid() and all(items_valid):
            if not item_forms:
                form.add_error(None, "Add at least one exercise from the library.")
            else:
                items = [item_form.as_item() for item_form in item_forms]
                fields = {
                    name: form.cleaned_data[name] for name in ("goals", "start_date", "review_date", "status")
                }
                try:
                    if plan is None:
                        saved = services.create_plan(
                            therapist=request.user,
                            patient=patient,
                            assessment=assessment,
                            items=items,
                            **fields,
                        )
                        audit.record(request, Action.CREATE, saved, items=len(items))
                    else:
                        saved = services.update_plan(
                            plan, expected_version=form.cleaned_data["version"], items=items, **fields
                        )
                        audit.record(request, Action.UPDATE, saved, items=len(items))
                except ValidationError as error:
                    place_errors(error, form, [(item_form, []) for item_form in item_forms])
                except services.StaleVersionError:
                    form.add_error(
                        None, "This plan was changed by someone else after you opened it. Open it again."
                    )
                else:
                    messages.success(request, "Plan saved.")
                    return redirect("plan-detail", pk=saved.pk)
    elif plan is not None and data is None:
        audit.record(request, Action.VIEW, plan)
    elif copy_last:
        audit.record(request, Action.VIEW, last_plan, part="copied into a new plan")

    context = {
        "patient": patient,
        "plan": plan,
        "last_plan": last_plan,
        "errors": plan_error_summary(form, item_forms) if data and "save" in data else [],
        "assessment": assessment,
        "form": form,
        "item_forms": item_forms,
        "search": search,
        "library": library,
        "any_match": any(matches for _, matches in library),
        "nav": "patients",
        **handout_language_context(
            patient, [item.chosen_exercise for item in item_forms if item.chosen_exercise]
        ),
    }
    return render(request, "assessments/plan_form.html", context)


def handout_language_context(patient, exercises):
    """What the plan pages say about the language of the patient's handout: which
    it is, and which exercises would print partly in English (a warning before
    printing)."""
    language = handouts.handout_language(patient)
    untranslated = translations.untranslated_exercises(exercises, language)
    return {
        "handout_language": language,
        "handout_language_name": get_language_info(language)["name"],
        "untranslated_exercises": untranslated,
        "untranslated_ids": {exercise.pk for exercise in untranslated},
    }


@require_form_methods
@clinic_page
def plan_new(request, patient_pk):
    patient = get_patient(request, patient_pk)
    require_writer(request, patient)
    assessment = None
    if request.GET.get("assessment"):
        try:
            assessment = (
                clinic_assessments(request).filter(patient=patient, pk=request.GET["assessment"]).first()
            )
        except ValidationError:
            assessment = None
    return plan_form_page(request, patient, assessment=assessment)


@require_form_methods
@clinic_page
def plan_edit(request, pk):
    plan = get_object_or_404(clinic_plans(request).with_items(), pk=pk)
    require_writer(request, plan)
    return plan_form_page(request, plan.patient, plan=plan, assessment=plan.assessment)


@require_safe
@clinic_page
def plan_detail(request, pk):
    plan = get_object_or_404(clinic_plans(request).with_items(), pk=pk)
    audit.record(request, Action.VIEW, plan)
    return render(
        request,
        "assessments/plan_detail.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "paper_sizes": plan.clinic.PaperSize.choices,
            "languages": [(code, get_language_info(code)["name"]) for code, _ in settings.LANGUAGES],
            "nav": "patients",
            **handout_language_context(plan.patient, [item.exercise for item in plan.items.all()]),
        },
    )


@require_GET
@clinic_page
def plan_handout(request, pk):
    plan = get_object_or_404(clinic_plans(request).select_related("clinic", "patient", "therapist"), pk=pk)
    try:
        handout = handouts.render_plan_handout(
            plan,
            user=request.user,
            request=request,
            paper=request.GET.get("paper"),
            language=request.GET.get("lang"),
        )
    except handouts.HandoutTooLarge as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("plan-detail", pk=plan.pk)
    response = HttpResponse(handout.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{handout.filename}"'
    return response
