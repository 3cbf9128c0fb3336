"""Outcome measures travel with the patient's record: the API's Bundle and the bulk
export carry each response as a QuestionnaireResponse and its total as an
Observation, with references a reader can follow."""

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class
from rest_framework.test import APIClient

from interop.ndjson import ExportParameters, export_clinic

from ..factories import record_measure

pytestmark = pytest.mark.django_db


def bundle_of(user, patient):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/patients/{patient.pk}/fhir/")
    assert response.status_code == 200, response.content
    return response.json()


def of_type(bundle, resource_type):
    return [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == resource_type
    ]


def test_a_measure_is_a_questionnaire_response_and_its_total_an_observation_in_the_bundle(therapist, patient):
    response = record_measure(patient, "nprs", {"pain": 6}, by=therapist, days_ago=1)

    bundle = bundle_of(therapist, patient)

    get_fhir_model_class("Bundle").model_validate(bundle)
    (answers,) = of_type(bundle, "QuestionnaireResponse")
    assert answers["id"] == str(response.pk)
    assert answers["status"] == "completed"
    totals = [obs for obs in of_type(bundle, "Observation") if obs.get("derivedFrom")]
    assert [coding["code"] for coding in totals[0]["code"]["coding"]][:1] == ["72514-3"]
    assert totals[0]["valueQuantity"]["value"] == 6


def test_the_measures_references_resolve_inside_the_bundle(therapist, patient):
    record_measure(patient, "nprs", {"pain": 6}, by=therapist)

    bundle = bundle_of(therapist, patient)

    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    measures = of_type(bundle, "QuestionnaireResponse") + [
        obs for obs in of_type(bundle, "Observation") if obs.get("derivedFrom")
    ]
    references = {
        reference["reference"]
        for resource in measures
        for key in ("subject", "author", "source")
        if (reference := resource.get(key))
    } | {reference["reference"] for resource in measures for reference in resource.get("derivedFrom", [])}
    assert references and references <= full_urls


def test_a_corrected_measure_reads_entered_in_error_beside_its_amendment(therapist, patient):
    first = record_measure(patient, "nprs", {"pain": 9}, by=therapist, days_ago=1)
    record_measure(
        patient, "nprs", {"pain": 3}, by=therapist, days_ago=1, replaces=first, correction_reason="Misheard."
    )

    statuses = {
        answers["id"]: answers["status"]
        for answers in of_type(bundle_of(therapist, patient), "QuestionnaireResponse")
    }

    assert statuses[str(first.pk)] == "entered-in-error"
    assert sorted(statuses.values()) == ["amended", "entered-in-error"]


class Lines:
    def __init__(self):
        self.by_type = {}

    def write(self, resource_type, line):
        self.by_type.setdefault(resource_type, []).append(json.loads(line))


def test_the_bulk_export_writes_the_measures_in_their_own_file(therapist, patient):
    record_measure(patient, "nprs", {"pain": 4}, by=therapist)
    output = Lines()

    counts = export_clinic(patient.clinic, ExportParameters(), output)

    assert counts["QuestionnaireResponse"] == 1
    (answers,) = output.by_type["QuestionnaireResponse"]
    assert answers["subject"]["reference"] == f"Patient/{patient.pk}"
    get_fhir_model_class("QuestionnaireResponse").model_validate(answers)
