"""
Forms of the clinical pages: an assessment with one grid per test and side (one
row per step), and a plan with its exercises.

The forms check the shape of each field; the rules that span records live in
``assessments.services``, whose errors carry dotted paths
(``results.0.findings.1.intensity``) that ``place_errors`` puts back beside the
field they are about.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Q

from clinic.datetimes import StorableDateTimeField

from . import interpretation, schedule
from .models import Assessment, Exercise, NeuroTest, Plan, PlanItem, Side, StepFinding, TestResult


def tests_by_use(clinic):
    """The clinic's catalogue, the tests it uses most first."""
    return (
        NeuroTest.objects.for_clinic(clinic)
        .active()
        .annotate(times_used=Count("results", filter=Q(results__assessment__clinic=clinic)))
        .order_by("-times_used", "code")
    )


class TestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, test):
        return f"{test.code} · {test.name}"


class AssessmentForm(forms.ModelForm):
    tests = TestChoiceField(
        queryset=NeuroTest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Tests performed",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Assessment
        fields = ["performed_at", "complaint", "notes"]
        labels = {"performed_at": "Date and time", "complaint": "Presenting complaint"}
        field_classes = {"performed_at": StorableDateTimeField}
        widgets = {
            "performed_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tests"].queryset = tests_by_use(clinic)


class ResultForm(forms.Form):
    range_at_onset_deg = forms.IntegerField(label="P1 (onset, °)", min_value=0, max_value=180, required=False)
    range_at_max_deg = forms.IntegerField(label="P2 (maximum, °)", min_value=0, max_value=180, required=False)
    differentiation = forms.ChoiceField(
        label="Structural differentiation",
        choices=TestResult.Differentiation.choices,
        initial=TestResult.Differentiation.NOT_TESTED,
        required=False,
    )
    interpretation_override = forms.ChoiceField(
        label="Override the reading",
        choices=[("", "No: use the computed reading"), *TestResult.Interpretation.choices],
        required=False,
    )
    override_reason = forms.CharField(label="Reason for the override", max_length=300, required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_differentiation(self):
        return self.cleaned_data["differentiation"] or TestResult.Differentiation.NOT_TESTED

    def clean(self):
        """The rules within one grid, checked here too so that the page reports them
        with every other error in one round (the services check them again)."""
        data = super().clean()
        onset, maximum = data.get("range_at_onset_deg"), data.get("range_at_max_deg")
        if onset is not None and maximum is not None and maximum < onset:
            self.add_error("range_at_max_deg", "P2 (range at maximum symptoms) cannot be below P1 (onset).")
        if data.get("interpretation_override") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", "Say why the computed interpretation is overridden.")
        return data

    def is_recorded(self):
        data = self.cleaned_data
        return bool(
            data.get("range_at_onset_deg") is not None
            or data.get("range_at_max_deg") is not None
            or data.get("differentiation") not in ("", TestResult.Differentiation.NOT_TESTED)
            or data.get("interpretation_override")
            or data.get("notes")
        )


class FindingForm(forms.Form):
    symptoms_reproduced = forms.ChoiceField(
        label="Symptoms reproduced",
        choices=StepFinding.Reproduced.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    symptom_kinds = forms.MultipleChoiceField(
        label="Kind",
        choices=StepFinding.SymptomKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    location = forms.CharField(label="Location", max_length=120, required=False)
    intensity = forms.IntegerField(label="Intensity (0-10)", min_value=0, max_value=10, required=False)

    def is_recorded(self):
        data = self.cleaned_data
        return bool(
            data.get("symptoms_reproduced")
            or data.get("symptom_kinds")
            or data.get("location")
            or data.get("intensity") is not None
        )

    def as_finding(self, step):
        data = self.cleaned_data
        return {
            "step": step,
            "symptoms_reproduced": data["symptoms_reproduced"] or StepFinding.Reproduced.NONE,
            "symptom_kinds": data["symptom_kinds"],
            "location": data["location"],
            "intensity": data["intensity"],
        }


@dataclass
class Grid:
    """One test on one side: the result's fields and one finding form per step, with
    what the last visit recorded for each (shown beside the inputs, never copied)."""

    test: NeuroTest
    side: str
    form: ResultForm
    rows: list = field(default_factory=list)  # (step, FindingForm, last visit's StepFinding or None)
    shown: bool = True
    last: TestResult | None = None
    partner: "Grid | None" = None  # the same test on the other side

    @property
    def last_notes(self):
        """What the last visit recorded, to show beside each of the grid's inputs."""
        if self.last is None:
            return {}
        notes = {"differentiation": f"Last: {self.last.get_differentiation_display().lower()}"}
        for name in ("range_at_onset_deg", "range_at_max_deg"):
            if getattr(self.last, name) is not None:
                notes[name] = f"Last: {getattr(self.last, name)}°"
        return notes

    @property
    def onset_value(self):
        value = self.form["range_at_onset_deg"].value()
        return int(value) if str(value or "").isdigit() else None

    @property
    def side_difference(self):
        """Degrees between the sides' P1 as typed, or ``None``."""
        if self.partner is None:
            return None
        return interpretation.side_difference_deg(self.onset_value, self.partner.onset_value)

    @property
    def side_difference_notable(self):
        return interpretation.side_difference_is_notable(self.side_difference)

    @property
    def side_label(self):
        return Side(self.side).label

    @property
    def computed_interpretation(self):
        """The reading of what the form holds now, by the one clinical rule; empty
        while nothing that bears on it is recorded."""
        levels = [form["symptoms_reproduced"].value() for _, form, _ in self.rows]
        levels = [level for level in levels if level in interpretation.REPRODUCTION_LEVELS]
        differentiation = self.form["differentiation"].value() or interpretation.NOT_TESTED
        if differentiation not in interpretation.DIFFERENTIATION_RESPONSES:
            differentiation = interpretation.NOT_TESTED
        if not levels and differentiation == interpretation.NOT_TESTED:
            return ""
        return interpretation.interpret(levels, differentiation)

    def is_valid(self):
        valid = [self.form.is_valid(), *(form.is_valid() for _, form, _ in self.rows)]
        return all(valid)

    def has_errors(self):
        return bool(self.form.errors or any(form.errors for _, form, _ in self.rows))


def build_grids(tests, data=None, recorded=None, shown=None, last=None):
    """The grids of ``tests`` (with their steps prefetched), both sides each, bound
    to ``data`` or filled from ``recorded`` results (keyed by (test id, side)).
    Grids of tests not in ``shown`` are built hidden, for the page to show in place
    when the test is ticked; ``last`` holds the last visit's results by the same key."""
    recorded, last = recorded or {}, last or {}
    grids = []
    for test in tests:
        for side in Side.values:
            prefix = f"{test.code}-{side}"
            result = recorded.get((test.pk, side))
            initial = {name: getattr(result, name) for name in ResultForm.base_fields} if result else None
            findings = {finding.step_id: finding for finding in result.findings.all()} if result else {}
            last_result = last.get((test.pk, side))
            last_findings = (
                {finding.step_id: finding for finding in last_result.findings.all()} if last_result else {}
            )
            grid = Grid(
                test,
                side,
                ResultForm(data, prefix=prefix, initial=initial),
                shown=shown is None or test in shown,
                last=last_result,
            )
            for step in test.steps.all():
                finding = findings.get(step.pk)
                finding_initial = (
                    {name: getattr(finding, name) for name in FindingForm.base_fields} if finding else None
                )
                grid.rows.append(
                    (
                        step,
                        FindingForm(data, prefix=f"{prefix}-{step.code}", initial=finding_initial),
                        last_findings.get(step.pk),
                    )
                )
            grids.append(grid)
        grids[-2].partner, grids[-1].partner = grids[-1], grids[-2]
    return grids


def summarise_errors(bound_form, where=""):
    """A form's errors, each with the id of the field it is about (for a summary's
    links) and a label that says where that field is. An error about a whole grid
    row or plan item links to its first field; the page's own non-field errors head
    the summary instead."""
    entries = []
    for name, errors in bound_form.errors.items():
        if name == NON_FIELD_ERRORS and not where:
            continue
        visible = [key for key, value in bound_form.fields.items() if not value.widget.is_hidden]
        bound = bound_form[visible[0] if name == NON_FIELD_ERRORS or bound_form[name].is_hidden else name]
        label = where.rstrip(": ") if name == NON_FIELD_ERRORS else f"{where}{bound_form[name].label}"
        entries.extend((bound.id_for_label, label, message) for message in errors)
    return entries


def error_summary(form, grids):
    """Every error of an assessment's page, in the order of the page."""
    entries = summarise_errors(form)
    for grid in grids:
        if not grid.shown:
            continue
        where = f"{grid.test.code} {grid.side_label.lower()}"
        entries += summarise_errors(grid.form, f"{where}: ")
        for step, finding_form, _ in grid.rows:
            entries += summarise_errors(finding_form, f"{where}, {step.name}: ")
    return entries


def plan_error_summary(form, item_forms):
    """Every error of a plan's page, in the order of the page."""
    entries = summarise_errors(form)
    for number, item_form in enumerate(item_forms, start=1):
        exercise = item_form.chosen_exercise
        entries += summarise_errors(item_form, f"{number}. {exercise.name if exercise else 'Exercise'}: ")
    return entries


def collect_results(grids):
    """The services' ``results`` from valid grids, skipping sides left blank, and for
    each result its grid and finding forms in order (to place errors back)."""
    results, places = [], []
    for grid in grids:
        recorded_rows = [(step, form) for step, form, _ in grid.rows if form.is_recorded()]
        if not recorded_rows and not grid.form.is_recorded():
            continue
        results.append(
            {
                "test": grid.test,
                "side": grid.side,
                **grid.form.cleaned_data,
                "findings": [form.as_finding(step) for step, form in recorded_rows],
            }
        )
        places.append((grid, [form for _, form in recorded_rows]))
    return results, places


def place_errors(error, form, places=()):
    """Put a ``ValidationError`` from the services beside the fields it names."""
    for key, messages in error.message_dict.items():
        target, name = form, key
        parts = key.split(".")
        if parts[0] in ("results", "items") and len(parts) >= 3 and parts[1].isdigit():
            grid_or_form, children = places[int(parts[1])]
            target, name = grid_or_form, parts[2]
            if hasattr(grid_or_form, "form"):
                target = grid_or_form.form
            if parts[2] == "findings" and len(parts) >= 5:
                target, name = children[int(parts[3])], parts[4]
        for message in messages:
            target.add_error(name if name in target.fields else None, message)


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["goals", "start_date", "review_date", "status"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class PlanItemForm(forms.ModelForm):
    """One exercise of a plan and its dose. The exercise is chosen among the
    library already loaded for the page (``library``: id -> Exercise). Days ticked
    set how many days a week."""

    exercise = forms.CharField(widget=forms.HiddenInput)
    weekdays = forms.MultipleChoiceField(
        label="On these days",
        choices=schedule.Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PlanItem
        fields = PlanItem.DOSE_FIELDS
        labels = {
            "hold_seconds": "Hold (s)",
            "times_per_day": "Times a day",
            "days_per_week": "Days a week",
            "cues": "Extra cue",
        }
        help_texts = {"cues": ""}
        widgets = {"cues": forms.TextInput(attrs={"placeholder": "Printed on the handout"})}

    def __init__(self, *args, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = library

    @property
    def chosen_exercise(self):
        return self.library.get(str(self["exercise"].value() or ""))

    def clean_exercise(self):
        exercise = self.library.get(self.cleaned_data["exercise"])
        if exercise is None:
            raise forms.ValidationError("This exercise is not in your clinic's library.")
        return exercise

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("weekdays"):
            cleaned["days_per_week"] = len(cleaned["weekdays"])
        return cleaned

    def as_item(self):
        return dict(self.cleaned_data)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search the library", required=False)
    kind = forms.ChoiceField(
        label="Type", choices=[("", "Sliders and tensioners"), *Exercise.Kind.choices], required=False
    )
    nerve = forms.ChoiceField(label="Nerve", required=False)

    def __init__(self, *args, nerves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nerve"].choices = [("", "All nerves"), *((nerve, nerve.title()) for nerve in nerves)]
