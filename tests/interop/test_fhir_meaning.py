"""A FHIR reader that knows nothing of Glide's extensions rebuilds a visit and a plan
from a patient's resources: the tests, their sides, the steps in order, what was
found at each, and the dose of each exercise."""

import pytest
from rest_framework.test import APIClient

from assessments import services
from assessments.models import StepFinding

from ..factories import standard_exercise
from .visits import record_visit

pytestmark = pytest.mark.django_db

SIDES = {"7771000": "left", "24028007": "right", "51440002": "both"}
WEEKLY_PERIOD = {"d": 7, "wk": 1}


def without_extensions(node):
    """The resource as a reader that ignores every extension sees it."""
    if isinstance(node, dict):
        return {
            key: without_extensions(value)
            for key, value in node.items()
            if key not in ("extension", "modifierExtension")
        }
    if isinstance(node, list):
        return [without_extensions(value) for value in node]
    return node


def everything(user, patient):
    client = APIClient()
    client.force_authenticate(user)
    bundle = client.get(f"/fhir/Patient/{patient.pk}/$everything").json()
    resources = [without_extensions(entry["resource"]) for entry in bundle["entry"]]
    return {f"{r['resourceType']}/{r['id']}": r for r in resources}


def side_of(body_site):
    """The laterality refining a SNOMED CT body structure: ``61685007:272741003=7771000``."""
    _, _, refinement = body_site["coding"][0]["code"].partition(":")
    attribute, _, value = refinement.partition("=")
    assert attribute == "272741003"  # laterality
    return SIDES[value]


def rebuilt_visit(resources, encounter_id):
    """{(test code, side): {"interpretation", "steps": [(order, step code, reproduced,
    kinds, location, intensity)]}} from the Observations of one Encounter."""
    tests = {}
    for resource in resources.values():
        if resource["resourceType"] != "Observation" or "hasMember" not in resource:
            continue
        if resource["encounter"]["reference"] != f"Encounter/{encounter_id}":
            continue
        steps = []
        for member in resource["hasMember"]:
            finding = resources[member["reference"]]
            parts = {c["code"]["coding"][0]["code"]: c for c in finding.get("component", [])}
            steps.append(
                (
                    parts["step-order"]["valueInteger"],
                    finding["code"]["coding"][0]["code"],
                    finding["valueCodeableConcept"]["coding"][0]["code"],
                    sorted(code for code, c in parts.items() if c.get("valueBoolean") is True),
                    parts.get("symptom-location", {}).get("valueString", ""),
                    parts.get("72514-3", {}).get("valueInteger"),
                )
            )
        code = resource["code"]["coding"][0]["code"]
        tests[(code, side_of(resource["bodySite"]))] = {
            "interpretation": resource["valueCodeableConcept"]["coding"][0]["code"],
            "steps": steps,
        }
    return tests


def glide_visit(assessment):
    tests = {}
    for result in assessment.results.select_related("test"):
        findings = StepFinding.objects.filter(result=result).select_related("step").order_by("step__order")
        tests[(result.test.code, result.side)] = {
            "interpretation": result.final_interpretation,
            "steps": [
                (
                    finding.step.order,
                    f"{result.test.code}.{finding.step.code}",
                    finding.symptoms_reproduced,
                    sorted(finding.symptom_kinds or []),
                    finding.location,
                    finding.intensity,
                )
                for finding in findings
            ],
        }
    return tests


def test_a_visit_is_rebuilt_from_the_observations_without_any_extension(therapist, patient):
    visit = record_visit(therapist, patient, sign=True)

    resources = everything(therapist, patient)

    assert rebuilt_visit(resources, visit.pk) == glide_visit(visit)


def test_the_steps_of_a_test_come_in_the_order_of_the_test(therapist, patient):
    visit = record_visit(therapist, patient)

    rebuilt = rebuilt_visit(everything(therapist, patient), visit.pk)

    for test in rebuilt.values():
        orders = [step[0] for step in test["steps"]]
        assert orders == sorted(orders)


def sessions_a_week(repeat):
    """What a Timing asks for in a week: ``frequency`` per ``period``, only on the
    days of ``dayOfWeek`` when it names them."""
    per_period = repeat["frequency"] / repeat["period"]
    if repeat["periodUnit"] == "wk":
        return per_period
    return per_period * len(repeat.get("dayOfWeek") or range(7))


@pytest.mark.parametrize(
    ("times_per_day", "days_per_week", "weekdays"),
    [(2, 7, []), (3, 5, []), (1, 3, []), (2, 3, ["mon", "wed", "fri"]), (1, 1, ["sun"])],
)
def test_an_exercises_dose_is_rebuilt_from_fhir_fields(
    therapist, patient, times_per_day, days_per_week, weekdays
):
    plan = services.create_plan(
        therapist=therapist,
        patient=patient,
        items=[
            {
                "exercise": standard_exercise("active-hamstring-mobilization"),
                "sets": 2,
                "reps": 12,
                "hold_seconds": 5,
                "times_per_day": times_per_day,
                "days_per_week": days_per_week,
                "weekdays": weekdays,
                "side": "right",
            }
        ],
    )
    resources = everything(therapist, patient)

    (request,) = [r for r in resources.values() if r["resourceType"] == "ServiceRequest"]
    repeat = request["occurrenceTiming"]["repeat"]
    item = plan.items.get()
    assert request["code"]["coding"][0]["code"] == item.exercise.slug
    assert request["category"][0]["coding"][0]["display"] == "Exercise therapy"
    assert request["quantityQuantity"]["value"] == item.reps
    assert sessions_a_week(repeat) == item.times_per_day * item.days_per_week
    assert repeat.get("dayOfWeek", []) == item.weekdays
    if item.days_per_week == 7 or item.weekdays:
        assert (repeat["frequency"], repeat["period"], repeat["periodUnit"]) == (item.times_per_day, 1, "d")
    assert side_of(request["bodySite"][0]) == "right"
    assert resources[request["basedOn"][0]["reference"]]["resourceType"] == "CarePlan"


def test_a_practitioners_role_is_physiotherapist_not_a_permission(therapist, patient, viewer):
    record_visit(therapist, patient)

    roles = [r for r in everything(therapist, patient).values() if r["resourceType"] == "PractitionerRole"]

    (role,) = roles
    assert role["code"] == [
        {"coding": [{"system": "http://snomed.info/sct", "code": "36682004", "display": "Physiotherapist"}],
         "text": "Physiotherapist"}
    ]  # fmt: skip
