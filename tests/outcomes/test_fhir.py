"""Outcome measures as FHIR R4 resources, validated by fhir.resources: the
instrument as a Questionnaire, each response as a QuestionnaireResponse, its total
as an Observation with the LOINC code where one exists; and a clinic's wording read
from a Questionnaire file."""

import json

import pytest
from django.core.exceptions import ValidationError
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from outcomes import fhir

from ..factories import WORDING_FILES, instrument, load_wording, record_measure

pytestmark = pytest.mark.django_db


def as_json(resource):
    return resource.model_dump(mode="json", exclude_none=True)


def round_trip(resource, model):
    """The JSON a client receives parses back into the same FHIR model."""
    return model.model_validate(as_json(resource))


@pytest.fixture
def odi_response(clinic, clinic_admin, patient, therapist):
    load_wording(clinic, "odi", clinic_admin)
    answers = {f"odi-{n}": value for n, value in enumerate([2, 2, 2, 2, 2, 2, 1, 1, 1, 1], 1)}
    return record_measure(patient, "odi", answers, by=therapist)


def test_a_response_is_a_completed_questionnaire_response(odi_response, patient, therapist):
    resource = round_trip(fhir.questionnaire_response(odi_response), QuestionnaireResponse)

    assert resource.status == "completed"
    assert resource.questionnaire.endswith("/Questionnaire/odi")
    assert resource.subject.reference == f"Patient/{patient.pk}"
    assert resource.author.reference == f"Practitioner/{therapist.pk}"
    assert [item.linkId for item in resource.item][:2] == ["odi-1", "odi-2"]
    assert resource.item[6].answer[0].valueCoding.code == "1"


def test_the_total_is_an_observation_with_the_loinc_code_and_the_percentage(odi_response):
    resource = round_trip(fhir.score_observation(odi_response), Observation)

    assert resource.code.coding[0].system == "http://loinc.org"
    assert resource.code.coding[0].code == "97909-6"
    assert (resource.valueQuantity.value, resource.valueQuantity.unit) == (32, "%")
    assert resource.derivedFrom[0].reference == f"QuestionnaireResponse/{odi_response.pk}"
    assert resource.status == "final"


def test_an_instrument_without_a_loinc_code_is_coded_by_glide_only(clinic, clinic_admin, patient, therapist):
    load_wording(clinic, "lefs", clinic_admin)
    response = record_measure(patient, "lefs", {f"lefs-{n}": 3 for n in range(1, 21)}, by=therapist)

    resource = round_trip(fhir.score_observation(response), Observation)

    assert [coding.code for coding in resource.code.coding] == ["lefs"]
    assert resource.valueQuantity.value == 60


def test_an_unscored_response_has_no_observation(clinic, clinic_admin, patient, therapist):
    load_wording(clinic, "odi", clinic_admin)
    response = record_measure(patient, "odi", {f"odi-{n}": 2 for n in range(1, 9)}, by=therapist)
    assert response.score is None
    assert fhir.score_observation(response) is None


def test_a_psfs_response_carries_each_activity_by_name(patient, therapist):
    response = record_measure(
        patient, "psfs", {"activity-1": ("Climbing stairs", 3), "activity-2": ("Driving", 5),
                          "activity-3": ("Gardening", 4)}, by=therapist,
    )  # fmt: skip

    resource = round_trip(fhir.questionnaire_response(response), QuestionnaireResponse)

    first = resource.item[0].answer[0]
    assert (first.valueCoding.code, first.item[0].answer[0].valueString) == ("3", "Climbing stairs")


def test_a_replaced_response_reads_entered_in_error_and_its_correction_amended(patient, therapist):
    wrong = record_measure(patient, "nprs", {"pain": 8}, by=therapist)
    right = record_measure(
        patient, "nprs", {"pain": 3}, by=therapist, replaces=wrong, correction_reason="Misheard."
    )

    assert fhir.questionnaire_response(wrong, replaced=True).status == "entered-in-error"
    assert fhir.questionnaire_response(right).status == "amended"
    assert fhir.score_observation(right).status == "amended"


def test_an_instrument_is_a_questionnaire_in_the_clinics_wording(clinic, clinic_admin):
    wording = load_wording(clinic, "odi", clinic_admin)

    resource = round_trip(fhir.questionnaire(instrument("odi"), wording), Questionnaire)

    assert resource.item[1].text == "How much does your back trouble limit looking after yourself?"
    assert resource.item[0].answerOption[5].valueCoding.display == "Completely"


def test_a_licensed_questionnaire_without_wording_publishes_no_text():
    resource = round_trip(fhir.questionnaire(instrument("ndi")), Questionnaire)

    assert all(item.text is None for item in resource.item)
    assert len(resource.item) == 10


def test_wording_is_read_from_ordinal_values_as_loinc_forms_carry_them():
    data = json.loads((WORDING_FILES / "lefs-questionnaire.json").read_text())

    wording = fhir.wording_from_questionnaire(instrument("lefs"), data)

    assert wording["items"]["lefs-2"]["text"] == "Today, how hard is climbing a flight of stairs?"
    assert wording["items"]["lefs-2"]["options"]["4"] == "No difficulty"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.update(resourceType="Patient"), "not a FHIR Questionnaire"),
        (
            lambda data: data["item"][1]["item"][0].update(linkId="section-a"),
            "Questions this instrument does not have",
        ),
        (lambda data: data["item"][1]["item"][2]["answerOption"].pop(), "no answer with the value 5"),
        (lambda data: data["item"][1]["item"][3].pop("text"), 'Item "odi-4" has no text.'),
        (lambda data: data.update(item="sections"), "Not a valid Questionnaire"),
    ],
    ids=["another resource", "a question we do not have", "an answer missing", "no text", "invalid FHIR"],
)
def test_a_questionnaire_that_does_not_fit_is_refused(change, message):
    data = json.loads((WORDING_FILES / "odi-questionnaire.json").read_text())
    change(data)

    with pytest.raises(ValidationError) as refused:
        fhir.wording_from_questionnaire(instrument("odi"), data)

    assert any(message in text for text in refused.value.messages)


# --- The exports' JSON, built without the models --------------------------------------------


def assert_written_as_the_model_writes_it(resource, model):
    """Equal to the validated model's JSON, key order included."""
    assert json.dumps(resource) == json.dumps(as_json(model.model_validate(resource)))


def test_a_responses_export_json_is_what_its_validated_model_writes(odi_response):
    assert_written_as_the_model_writes_it(
        fhir.questionnaire_response_json(odi_response), QuestionnaireResponse
    )
    assert_written_as_the_model_writes_it(fhir.score_observation_json(odi_response), Observation)


def test_named_activities_are_written_as_the_validated_model_writes_them(patient, therapist):
    response = record_measure(
        patient, "psfs", {"activity-1": ("Climbing stairs", 3), "activity-2": ("Driving", 5),
                          "activity-3": ("Gardening", 4)}, by=therapist,
    )  # fmt: skip

    assert_written_as_the_model_writes_it(fhir.questionnaire_response_json(response), QuestionnaireResponse)
    assert_written_as_the_model_writes_it(fhir.score_observation_json(response), Observation)


def test_a_correction_and_what_it_replaced_are_written_as_the_validated_models_write_them(patient, therapist):
    wrong = record_measure(patient, "nprs", {"pain": 8}, by=therapist)
    right = record_measure(
        patient, "nprs", {"pain": 3}, by=therapist, replaces=wrong, correction_reason="Misheard."
    )

    for response, replaced in ((wrong, True), (right, False)):
        resource = fhir.questionnaire_response_json(response, replaced=replaced)
        assert_written_as_the_model_writes_it(resource, QuestionnaireResponse)
        assert_written_as_the_model_writes_it(
            fhir.score_observation_json(response, replaced=replaced), Observation
        )


def test_times_away_from_utc_keep_their_offset_as_the_validated_model_does(settings, odi_response):
    settings.TIME_ZONE = "America/Chicago"

    resource = fhir.score_observation_json(odi_response)

    assert resource["issued"].endswith(("-05:00", "-06:00"))
    assert_written_as_the_model_writes_it(resource, Observation)
