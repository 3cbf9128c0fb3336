"""
What Glide publishes about its own FHIR: the CodeSystems of its codes and the
StructureDefinitions of its extensions, each at its canonical URL under
``GLIDE_FHIR_BASE_URL`` (``{base}/CodeSystem/{name}``, ``{base}/StructureDefinition/{name}``)
and served there by the FHIR server, so that a reader can look any of them up.

The standard catalogue's tests, steps and exercises are read from the database (they
ship as data); the other code systems are the model's own choices.
"""

from assessments.models import Exercise, NeuroTest, StepFinding, TestResult, TestStep
from clinic.models import Membership

from .fhir import UCUM, clinic_code_system, code_system, extension_url

PUBLISHER = "Glide"
FHIR_VERSION = "4.0.1"
# The version of Glide's published codes and extensions; raised when one changes.
CONTENT_VERSION = "1.0.0"


def _concepts(choices):
    return [{"code": value, "display": str(label)} for value, label in choices]


OBSERVATION_COMPONENTS = [
    (
        "range-at-onset",
        "P1: range at symptom onset",
        "The joint angle, in degrees, where the symptoms began.",
    ),
    ("range-at-max", "P2: range at maximum tolerated symptoms", "The joint angle, in degrees, at the end."),
    (
        "structural-differentiation",
        "Response to structural differentiation",
        "How the symptoms changed when a distant part of the nerve's path was moved.",
    ),
    (
        "computed-interpretation",
        "Interpretation computed from the findings",
        "The reading Glide computed from the findings, kept when a clinician overrides it.",
    ),
    ("step-order", "Step", "The position of a step in its test, from 1."),
    ("symptom-location", "Where the symptoms were felt", "The body location, as the clinician wrote it."),
]


def _static_code_systems():
    return {
        "test-interpretation": (
            "Neurodynamic test interpretation",
            "Whether a neurodynamic test brought back the patient's symptoms in a way pointing at a nerve.",
            _concepts(TestResult.Interpretation.choices),
        ),
        "differentiation-response": (
            "Response to structural differentiation",
            "How the symptoms changed when a distant part of the nerve's path was moved.",
            _concepts(TestResult.Differentiation.choices),
        ),
        "symptom-reproduction": (
            "Symptom reproduction",
            "How much of the patient's own symptoms one step of a test brought back.",
            _concepts(StepFinding.Reproduced.choices),
        ),
        "symptom-kind": (
            "Kind of symptom",
            "The kinds of symptom a patient may feel at a step of a test.",
            _concepts(StepFinding.SymptomKind.choices),
        ),
        "observation-component": (
            "Parts of a neurodynamic test result",
            "The codes of the components of Glide's test and finding Observations.",
            [
                {"code": code, "display": display, "definition": text}
                for code, display, text in OBSERVATION_COMPONENTS
            ],
        ),
        "encounter-type": (
            "Kind of visit",
            "The kinds of visit Glide records.",
            [{"code": "neurodynamic-assessment", "display": "Neurodynamic assessment"}],
        ),
        "document-type": (
            "Kind of document",
            "The documents Glide prints.",
            [{"code": "home-exercise-handout", "display": "Home exercise handout"}],
        ),
        "clinic-role": (
            "Permission in a clinic",
            "What Glide lets a member of a clinic do; not a clinical role.",
            _concepts(Membership.Role.choices),
        ),
    }


def _catalogue_code_system(name, clinic=None):
    """The standard catalogue's codes, or with ``clinic`` that clinic's own entries."""
    owned = {"clinic__isnull": True} if clinic is None else {"clinic": clinic}
    whose = "" if clinic is None else f" of {clinic.name}"
    if name == "neurodynamic-test":
        tests = NeuroTest.objects.filter(**owned).order_by("code")
        return (
            f"Neurodynamic tests{whose}",
            "The standard neurodynamic tests of Glide's catalogue. No LOINC or SNOMED CT code names them."
            if clinic is None
            else f"The clinic's own neurodynamic tests; their codes are unique within {clinic.name} only.",
            [
                {
                    "code": test.code,
                    "display": test.name,
                    "definition": f"{test.name}: {test.nerve_bias} bias.",
                }
                for test in tests
            ],
        )
    if name == "neurodynamic-test-step":
        steps = TestStep.objects.filter(**{f"test__{key}": value for key, value in owned.items()})
        return (
            f"Steps of the neurodynamic tests{whose}",
            "Each position of a test, coded {test}.{step}, with its order in the test.",
            [
                {
                    "code": f"{step.test.code}.{step.code}",
                    "display": step.name,
                    "definition": f"Step {step.order} of {step.test.name}: {step.get_kind_display()}.",
                }
                for step in steps.select_related("test").order_by("test__code", "order")
            ],
        )
    if name == "exercise":
        exercises = Exercise.objects.filter(**owned).order_by("slug")
        return (
            f"Home exercises{whose}",
            "The nerve and fascia mobilizations of Glide's standard exercise library."
            if clinic is None
            else f"The clinic's own exercises; their codes are unique within {clinic.name} only.",
            [{"code": exercise.slug, "display": exercise.name} for exercise in exercises],
        )
    return None


CATALOGUE_CODE_SYSTEMS = ("neurodynamic-test", "neurodynamic-test-step", "exercise")


def code_system_names():
    return sorted([*_static_code_systems(), *CATALOGUE_CODE_SYSTEMS])


def code_system_resource(name, clinic=None):
    """The CodeSystem published at ``{base}/CodeSystem/{name}``, or with ``clinic``
    the one of the clinic's own entries at ``{base}/clinics/{slug}/CodeSystem/{name}``;
    None if there is no such CodeSystem."""
    if clinic is None:
        entry = _static_code_systems().get(name) or _catalogue_code_system(name)
    else:
        entry = _catalogue_code_system(name, clinic) if name in CATALOGUE_CODE_SYSTEMS else None
    if entry is None:
        return None
    title, description, concepts = entry
    return {
        "resourceType": "CodeSystem",
        "id": name,
        "url": code_system(name) if clinic is None else clinic_code_system(clinic, name),
        "version": CONTENT_VERSION,
        "name": "".join(part.capitalize() for part in name.split("-")),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": PUBLISHER,
        "description": description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }


# --- Extensions ----------------------------------------------------------------------


def _element(path, element_id=None, **rules):
    return {"id": element_id or path, "path": path, **rules}


def _simple_extension(name, title, description, contexts, value_type):
    value = _element("Extension.value[x]", min=1, type=[{"code": value_type}])
    elements = [
        _element("Extension", short=title, definition=description, max="1"),
        _element("Extension.extension", max="0"),
        _element("Extension.url", fixedUri=extension_url(name)),
        value,
    ]
    return _structure_definition(name, title, description, contexts, elements)


def _dose_part(part, short, value_type, minimum=1):
    slice_id = f"Extension.extension:{part}"
    return [
        _element("Extension.extension", slice_id, sliceName=part, short=short, min=minimum, max="1"),
        _element("Extension.extension.extension", f"{slice_id}.extension", max="0"),
        _element("Extension.extension.url", f"{slice_id}.url", fixedUri=part),
        _element("Extension.extension.value[x]", f"{slice_id}.value[x]", min=1, type=[{"code": value_type}]),
    ]


def _exercise_dose():
    description = (
        "The dose of a home exercise where FHIR has no field of its own: sets, repetitions per set and the "
        "hold of each repetition, with how many times a day and on how many days a week (the plan names a "
        "number of days, not which days). ServiceRequest.quantityQuantity repeats the repetitions and "
        "occurrenceTiming the frequency, for readers that ignore this extension."
    )
    elements = [
        _element("Extension", short="Exercise dose", definition=description, max="1"),
        _element(
            "Extension.extension",
            slicing={"discriminator": [{"type": "value", "path": "url"}], "rules": "closed"},
        ),
        *_dose_part("sets", "Sets per session", "integer"),
        *_dose_part("repetitions", "Repetitions per set", "integer"),
        *_dose_part("hold", "Hold of each repetition (UCUM s)", "Quantity"),
        *_dose_part("timesPerDay", "Sessions a day", "integer"),
        *_dose_part("daysPerWeek", "Days a week", "integer"),
        _element("Extension.url", fixedUri=extension_url("exercise-dose")),
        _element("Extension.value[x]", max="0"),
    ]
    return _structure_definition(
        "exercise-dose", "Exercise dose", description, ["ServiceRequest"], elements, unit_note=True
    )


def _structure_definition(name, title, description, contexts, elements, unit_note=False):
    resource = {
        "resourceType": "StructureDefinition",
        "id": name,
        "url": extension_url(name),
        "version": CONTENT_VERSION,
        "name": "".join(part.capitalize() for part in name.split("-")),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": PUBLISHER,
        "description": description,
        "fhirVersion": FHIR_VERSION,
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": context} for context in contexts],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "differential": {"element": elements},
    }
    if unit_note:
        resource["purpose"] = f"Quantities are in UCUM ({UCUM})."
    return resource


def structure_definition_names():
    return ["clinic-permission", "exercise-dose"]


def structure_definition_resource(name):
    if name == "exercise-dose":
        return _exercise_dose()
    if name == "clinic-permission":
        return _simple_extension(
            "clinic-permission",
            "Permission in the clinic",
            "What Glide lets this member of the organization do (admin, therapist, viewer). "
            "The clinical role is PractitionerRole.code.",
            ["PractitionerRole"],
            "Coding",
        )
    return None
