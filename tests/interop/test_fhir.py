"""A patient's record as a FHIR R4 Bundle: what it holds, that it is valid FHIR, that
its references resolve, and who may read it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments import services
from assessments.models import HandoutPrint, TestResult
from clinic.models import AuditEvent, Patient, User

from ..factories import PatientFactory, standard_exercise, standard_test
from .visits import plan_with_print, record_visit, slr_result

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def bundle_of(user, patient):
    response = client_for(user).get(f"/api/v1/patients/{patient.pk}/fhir/")
    assert response.status_code == 200, response.content
    return response.json()


def resources(bundle, resource_type):
    return [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == resource_type
    ]


def references_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from references_in(value)


def groups_and_members(bundle):
    """The test Observations (with ``hasMember``) and the finding Observations by id."""
    observations = resources(bundle, "Observation")
    groups = [
        obs for obs in observations if obs["code"]["coding"][0]["system"].endswith("/neurodynamic-test")
    ]
    members = {obs["id"]: obs for obs in observations if obs not in groups}
    return groups, members


def members_of(group, members):
    return [members[member["reference"].removeprefix("urn:uuid:")] for member in group.get("hasMember", [])]


def components_by_code(observation):
    return {component["code"]["coding"][0]["code"]: component for component in observation["component"]}


# --- Valid FHIR ----------------------------------------------------------------------


def test_every_resource_of_every_demo_bundle_validates_against_the_fhir_r4b_models():
    call_command("seed_demo", quiet_login=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo = User.objects.get(username="demo")
    signed = Patient.objects.get(chart_number="H-1002").assessments.signed().first()
    services.add_addendum(signed, author=demo, text="Patient reports the pain started after a fall.")
    plan = Patient.objects.get(chart_number="H-1002").plans.first()
    HandoutPrint.objects.create(
        clinic=plan.clinic, plan=plan, printed_by=demo, paper_size="a4", sha256="ab" * 32, size_bytes=1000
    )
    seen_types = set()
    for patient in Patient.objects.all():
        bundle = bundle_of(demo, patient)
        get_fhir_model_class("Bundle").model_validate(bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            seen_types.add(resource["resourceType"])
    assert seen_types == {
        "Patient",
        "Organization",
        "Practitioner",
        "PractitionerRole",
        "Encounter",
        "Observation",
        "CarePlan",
        "ServiceRequest",
        "DocumentReference",
    }


def test_every_reference_inside_the_bundle_resolves_to_an_entry(therapist, patient):
    assessment = record_visit(therapist, patient, sign=True)
    services.add_addendum(assessment, author=therapist, text="Symptoms began after a long drive.")
    plan_with_print(therapist, patient, assessment)

    bundle = bundle_of(therapist, patient)

    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))
    assert all(url.startswith("urn:uuid:") for url in full_urls)
    references = set(references_in(bundle))
    assert references and references <= set(full_urls)


def test_the_bundle_is_a_collection_served_as_fhir_json(therapist, patient):
    response = client_for(therapist).get(
        f"/api/v1/patients/{patient.pk}/fhir/", HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response.json()["resourceType"] == "Bundle"
    assert response.json()["type"] == "collection"


# --- What it holds ---------------------------------------------------------------------


def test_the_patient_carries_the_chart_number_scoped_to_the_clinic(therapist, patient):
    bundle = bundle_of(therapist, patient)

    (resource,) = resources(bundle, "Patient")
    (identifier,) = resource["identifier"]
    assert identifier["value"] == "A-1001"
    assert identifier["system"] == "https://glide.example.org/fhir/clinics/harbour/chart-number"
    assert resource["name"] == [{"use": "official", "family": "Byron", "given": ["Ada"]}]
    (organization,) = resources(bundle, "Organization")
    assert organization["name"] == "Harbour Physio"


def test_each_test_result_becomes_an_observation_with_side_ranges_and_step_findings(therapist, patient):
    record_visit(therapist, patient)

    groups, members = groups_and_members(bundle_of(therapist, patient))

    assert len(groups) == 2 and len(members) == 3
    left = next(obs for obs in groups if obs["bodySite"]["text"] == "Left, lower limb")
    right = next(obs for obs in groups if obs["bodySite"]["text"] == "Right, lower limb")
    assert left["bodySite"]["coding"][0]["code"] == "61685007:272741003=7771000"
    assert right["bodySite"]["coding"][0]["code"] == "61685007:272741003=24028007"
    assert left["code"]["coding"][0] == {
        "system": "https://glide.example.org/fhir/CodeSystem/neurodynamic-test",
        "code": "SLR",
        "display": standard_test("SLR").name,
    }
    assert left["valueCodeableConcept"]["text"] == "Positive"
    assert right["valueCodeableConcept"]["text"] == "Negative"
    by_text = {component["code"]["text"]: component for component in left["component"]}
    assert by_text["P1: hip flexion at symptom onset"]["valueQuantity"] == {
        "value": 55,
        "unit": "deg",
        "system": "http://unitsofmeasure.org",
        "code": "deg",
    }
    assert by_text["P2: hip flexion at maximum tolerated symptoms"]["valueQuantity"]["value"] == 70
    assert by_text["Response to structural differentiation"]["valueCodeableConcept"]["coding"][0]["code"] == (
        "increased"
    )
    hip, ankle = members_of(left, members)
    assert [hip["code"]["coding"][0]["code"], ankle["code"]["coding"][0]["code"]] == [
        "SLR.hip-flexion",
        "SLR.ankle-dorsiflexion",
    ]
    assert ankle["valueCodeableConcept"]["coding"][0]["code"] == "full"
    ankle_parts = components_by_code(ankle)
    assert ankle_parts["pain"]["valueBoolean"] is True
    assert ankle_parts["pins-and-needles"]["valueBoolean"] is True
    assert ankle_parts["symptom-location"]["valueString"] == "calf"
    assert ankle_parts["72514-3"]["code"]["coding"][0]["system"] == "http://loinc.org"
    assert ankle_parts["72514-3"]["valueInteger"] == 6
    assert ankle_parts["step-order"]["valueInteger"] > components_by_code(hip)["step-order"]["valueInteger"]


def test_no_observation_repeats_a_component_code(therapist, patient):
    record_visit(therapist, patient)

    observations = resources(bundle_of(therapist, patient), "Observation")

    for observation in observations:
        codes = [
            (c["code"]["coding"][0]["system"], c["code"]["coding"][0]["code"])
            for c in observation["component"]
        ]
        assert len(codes) == len(set(codes)), observation["id"]


def test_a_draft_is_preliminary_and_a_signed_assessment_final_with_its_addenda_as_notes(therapist, patient):
    record_visit(therapist, patient, days_ago=14)
    signed = record_visit(therapist, patient, sign=True, days_ago=7)
    services.add_addendum(signed, author=therapist, text="Symptoms began after a long drive.")

    observations, _ = groups_and_members(bundle_of(therapist, patient))

    by_encounter = {}
    for observation in observations:
        by_encounter.setdefault(observation["encounter"]["reference"], []).append(observation)
    statuses = {
        reference: {observation["status"] for observation in group}
        for reference, group in by_encounter.items()
    }
    assert statuses[f"urn:uuid:{signed.pk}"] == {"final"}
    assert {"preliminary"} in statuses.values()
    final = by_encounter[f"urn:uuid:{signed.pk}"][0]
    assert final["note"][-1]["text"] == "Addendum: Symptoms began after a long drive."
    assert len(resources(bundle_of(therapist, patient), "Encounter")) == 2


def test_a_clinician_override_is_the_value_and_the_computed_reading_stays_visible(therapist, patient):
    services.create_assessment(
        therapist=therapist,
        patient=patient,
        results=[
            slr_result(
                "left",
                50,
                {"hip-flexion": {"symptoms_reproduced": "full", "intensity": 5}},
                differentiation="unchanged",
                interpretation_override=TestResult.Interpretation.POSITIVE,
                override_reason="Classic distribution along the sciatic nerve",
            )
        ],
    )

    (observation,), _ = groups_and_members(bundle_of(therapist, patient))

    assert observation["valueCodeableConcept"]["text"] == "Positive"
    computed = next(
        c for c in observation["component"] if c["code"]["coding"][0]["code"] == "computed-interpretation"
    )
    assert computed["valueCodeableConcept"]["text"] == "Inconclusive"
    assert "Classic distribution along the sciatic nerve" in observation["note"][0]["text"]


def test_a_plan_is_a_care_plan_with_a_service_request_per_exercise_and_its_dose(therapist, patient):
    plan_with_print(therapist, patient)

    bundle = bundle_of(therapist, patient)

    (care_plan,) = resources(bundle, "CarePlan")
    (request,) = resources(bundle, "ServiceRequest")
    assert care_plan["description"] == "Sit through a work meeting"
    assert [activity["reference"]["reference"] for activity in care_plan["activity"]] == [
        f"urn:uuid:{request['id']}"
    ]
    assert request["code"]["coding"][0] == {
        "system": "https://glide.example.org/fhir/CodeSystem/exercise",
        "code": "active-hamstring-mobilization",
        "display": standard_exercise("active-hamstring-mobilization").name,
    }
    assert request["category"][0]["coding"][0]["code"] == "229065009"
    assert request["quantityQuantity"]["value"] == 10
    assert request["patientInstruction"] == (
        "2 sets of 10 repetitions, hold each for 5 seconds, 3 times a day, "
        "on Monday, Tuesday, Thursday, Friday and Saturday; left side. Keep the elbows on the thighs."
    )
    assert request["occurrenceTiming"]["repeat"] == {
        "frequency": 3,
        "period": 1,
        "periodUnit": "d",
        "dayOfWeek": ["mon", "tue", "thu", "fri", "sat"],
    }
    dose = {part["url"]: part for part in request["extension"][0]["extension"]}
    assert dose["sets"]["valueInteger"] == 2 and dose["repetitions"]["valueInteger"] == 10
    assert dose["hold"]["valueQuantity"]["value"] == 5
    assert request["bodySite"][0]["coding"][0]["code"] == "61685007:272741003=7771000"


def test_a_printed_handout_is_a_document_reference_with_its_sha256_and_where_to_fetch_it(therapist, patient):
    plan, printed = plan_with_print(therapist, patient)

    (document,) = resources(bundle_of(therapist, patient), "DocumentReference")

    assert document["identifier"][0]["value"] == printed.sha256
    assert document["masterIdentifier"]["value"].startswith("ni:///sha-256;")
    attachment = document["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf"
    assert attachment["url"] == f"http://testserver/api/v1/plans/{plan.pk}/handout.pdf?paper=letter"
    assert attachment["size"] == 48213
    assert "hash" not in attachment
    assert document["author"][0]["display"] == therapist.display_name


# --- Cost, access and trace --------------------------------------------------------------


def test_the_bundle_takes_the_same_number_of_queries_whatever_the_size_of_the_record(therapist, clinic):
    small = PatientFactory(clinic=clinic)
    assessment = record_visit(therapist, small, sign=True)
    services.add_addendum(assessment, author=therapist, text="Checked again.")
    plan_with_print(therapist, small, assessment)
    large = PatientFactory(clinic=clinic)
    for days_ago in range(6):
        assessment = record_visit(therapist, large, sign=True, days_ago=days_ago * 7 + 1)
        services.add_addendum(assessment, author=therapist, text="Checked again.")
        plan_with_print(therapist, large, assessment)
    client = client_for(therapist)
    # A first request fills the caches every later request shares (the session, content types).
    client.get(f"/api/v1/patients/{small.pk}/fhir/")

    counts = []
    for patient in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/patients/{patient.pk}/fhir/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    # 1 of them counts the call for the throttle, 1 reads the identifiers senders gave
    # the patient, 1 the outcome measures.
    assert counts[0] <= 15


def test_another_clinics_patient_has_no_bundle(outsider, patient):
    response = client_for(outsider).get(f"/api/v1/patients/{patient.pk}/fhir/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_an_export_leaves_exactly_one_audit_record(therapist, patient):
    bundle_of(therapist, patient)

    (event,) = AuditEvent.objects.all()
    assert event.action == AuditEvent.Action.EXPORT
    assert event.patient == patient and event.actor == therapist
    assert event.detail["format"] == "fhir-bundle"


def test_a_viewer_may_export_with_a_token(viewer, patient):
    token = Token.objects.create(user=viewer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get(f"/api/v1/patients/{patient.pk}/fhir/")

    assert response.status_code == 200


def test_an_anonymous_caller_gets_no_bundle(patient):
    response = APIClient().get(f"/api/v1/patients/{patient.pk}/fhir/")

    assert response.status_code == 401
