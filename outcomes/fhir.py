"""
Outcome measures in FHIR R4: an instrument as a ``Questionnaire``, each response as
a ``QuestionnaireResponse`` and its total as an ``Observation`` (with the LOINC
code of the total where one exists), and a clinic's licensed wording read from a
``Questionnaire`` file, its items matched by ``linkId``.

Each function returns a validated ``fhir.resources.R4B`` model (R4B's
Questionnaire, QuestionnaireResponse and Observation are those of R4); call
``.model_dump(mode="json", exclude_none=True)`` for the JSON. The patient's Bundle
and the bulk export put them beside the assessments' resources, as the plain JSON
of ``questionnaire_response_json`` and ``score_observation_json``: a bulk export
maps a whole clinic, and validating each resource there would cost more than the
rest of the mapping. The tests hold that JSON equal to what the validated model
writes, key order included.

Answers are codings in a code system per instrument
(``{GLIDE_FHIR_BASE_URL}/CodeSystem/outcome-<code>``) whose code is the answer's
value; a corrected response's replaced one reads ``entered-in-error``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .models import MeasureResponse

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
QUESTION_TYPES = {"choice", "open-choice", "integer", "decimal", "coding"}


def _model(resource_type):
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def base_url():
    return settings.GLIDE_FHIR_BASE_URL.rstrip("/")


def questionnaire_url(instrument):
    return f"{base_url()}/Questionnaire/{instrument.code}"


def answer_system(instrument):
    return f"{base_url()}/CodeSystem/outcome-{instrument.code}"


def fhir_instant(moment):
    """A moment in the server's time zone, written as the FHIR models write it (UTC
    as ``Z``)."""
    text = timezone.localtime(moment).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


def _number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def instrument_codings(instrument):
    codings = [{"system": f"{base_url()}/CodeSystem/outcome-instrument", "code": instrument.code,
                "display": instrument.name}]  # fmt: skip
    if instrument.loinc:
        codings.insert(0, {"system": LOINC, "code": instrument.loinc})
    return codings


def _coding(instrument, option):
    coding = {"system": answer_system(instrument), "code": str(option["value"])}
    if option.get("label"):
        coding["display"] = option["label"]
    return coding


def questionnaire(instrument, wording=None):
    """The instrument as a Questionnaire; item texts only where Glide wrote them or
    the clinic's ``wording`` is given (licensed wording is never published by
    Glide otherwise)."""
    items = instrument.worded_items(wording) or instrument.items
    resource = {
        "resourceType": "Questionnaire",
        "id": instrument.code,
        "url": questionnaire_url(instrument),
        "name": instrument.short_name.replace("-", ""),
        "title": instrument.name,
        "status": "active",
        "code": instrument_codings(instrument),
        "copyright": instrument.licence,
        "item": [],
    }
    for item in items:
        entry = {
            "linkId": item["link_id"],
            "type": "choice",
            "required": False,
            "answerOption": [{"valueCoding": _coding(instrument, option)} for option in item["options"]],
        }
        if item.get("text"):
            entry["text"] = item["text"]
        if item.get("names_activity"):
            entry["item"] = [{"linkId": f"{item['link_id']}-name", "text": "Activity", "type": "string"}]
        resource["item"].append(entry)
    return _model("Questionnaire").model_validate(resource)


def questionnaire_response(response, *, replaced=False):
    """One response. ``replaced``: a correction has replaced it."""
    resource = questionnaire_response_json(response, replaced=replaced)
    return _model("QuestionnaireResponse").model_validate(resource)


def questionnaire_response_json(response, *, replaced=False):
    """``questionnaire_response``'s JSON, built without the model."""
    options = {
        item["link_id"]: {option["value"]: option for option in item["options"]}
        for item in response.instrument.items
    }
    items = []
    for answer in response.answers:
        option = options[answer["link_id"]][answer["value"]]
        value = {"valueCoding": _coding(response.instrument, option)}
        if answer.get("activity"):
            value["item"] = [
                {"linkId": f"{answer['link_id']}-name", "answer": [{"valueString": answer["activity"]}]}
            ]
        items.append({"linkId": answer["link_id"], "answer": [value]})
    author = (
        {"reference": f"Practitioner/{response.recorded_by_id}"}
        if response.source == "clinician" and response.recorded_by_id
        else {"reference": f"Patient/{response.patient_id}"}
    )
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "questionnaire": questionnaire_url(response.instrument),
        "status": "entered-in-error" if replaced else ("amended" if response.replaces_id else "completed"),
        "subject": {"reference": f"Patient/{response.patient_id}"},
        "authored": fhir_instant(response.taken_at),
        "author": author,
        "source": {"reference": f"Patient/{response.patient_id}"} if response.source == "patient" else author,
        "item": items,
    }
    return resource


def score_observation(response, *, replaced=False):
    """The response's total as an Observation, or None when it has no score (the
    instrument's missing-answer rule left it unscored)."""
    resource = score_observation_json(response, replaced=replaced)
    return None if resource is None else _model("Observation").model_validate(resource)


def score_observation_json(response, *, replaced=False):
    """``score_observation``'s JSON, built without the model (None without a score)."""
    instrument = response.instrument
    if response.score is None:
        return None
    charted_percent = instrument.charted_field == "score_percent"
    value = response.score_percent if charted_percent else response.score
    resource = {
        "resourceType": "Observation",
        "id": f"{response.pk}-score",
        "status": "entered-in-error" if replaced else ("amended" if response.replaces_id else "final"),
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": instrument_codings(instrument), "text": f"{instrument.short_name} score"},
        "subject": {"reference": f"Patient/{response.patient_id}"},
        "effectiveDateTime": fhir_instant(response.taken_at),
        "issued": fhir_instant(response.signed_at),
        "valueQuantity": (
            {"value": _number(value), "unit": "%", "system": UCUM, "code": "%"}
            if charted_percent
            else {"value": _number(value), "unit": "{score}", "system": UCUM, "code": "{score}"}
        ),
        "note": [{"text": response.interpretation}],
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.pk}"}],
    }
    if instrument.has_percent and not charted_percent and response.score_percent is not None:
        resource["component"] = [
            {
                "code": {"text": f"{instrument.short_name} score as a percentage of the maximum"},
                "valueQuantity": {
                    "value": _number(response.score_percent),
                    "unit": "%",
                    "system": UCUM,
                    "code": "%",
                },
            }
        ]
    return resource


# --- Reading a clinic's licensed wording ---------------------------------------------


def _flatten(items):
    for item in items or []:
        yield item
        yield from _flatten(item.item)


def _option_value(option):
    """The answer's value: its ordinalValue extension (how LOINC forms carry
    scores), else its code read as a number, else a plain valueInteger."""
    for extension in option.extension or []:
        if extension.url == ORDINAL_VALUE and extension.valueDecimal is not None:
            return _number(extension.valueDecimal)
    if option.valueCoding is not None:
        try:
            return _number(Decimal(option.valueCoding.code))
        except (ArithmeticError, TypeError, ValueError):
            return None
    return option.valueInteger


def _option_label(option):
    if option.valueCoding is not None:
        return option.valueCoding.display or ""
    return option.valueString or ""


def wording_from_questionnaire(instrument, data):
    """The texts of ``instrument``'s items and answers in a Questionnaire (a parsed
    JSON object), matched by ``linkId`` and by answer value. Raises
    ``ValidationError`` on ``questionnaire`` naming each problem."""
    from pydantic import ValidationError as PydanticValidationError

    def refuse(messages):
        raise ValidationError(
            {"questionnaire": [ValidationError(message, code="invalid") for message in messages]}
        )

    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        refuse(['The file is not a FHIR Questionnaire (its resourceType must be "Questionnaire").'])
    try:
        parsed = _model("Questionnaire").model_validate(data)
    except PydanticValidationError as error:
        refuse([f"Not a valid Questionnaire: {detail['msg']} at {'.'.join(map(str, detail['loc']))}."
                for detail in error.errors()[:10]])  # fmt: skip
    found = {item.linkId: item for item in _flatten(parsed.item)}
    ours = {item["link_id"]: item for item in instrument.items}
    problems, texts = [], {}
    for link_id, item in ours.items():
        theirs = found.get(link_id)
        if theirs is None:
            problems.append(f'No item with linkId "{link_id}".')
            continue
        if not (theirs.text or "").strip():
            problems.append(f'Item "{link_id}" has no text.')
            continue
        labels = {}
        for option in theirs.answerOption or []:
            value = _option_value(option)
            if value is not None:
                labels[value] = _option_label(option).strip()
        options = {}
        for option in item["options"]:
            label = labels.get(option["value"])
            if not label:
                problems.append(
                    f'Item "{link_id}" has no answer with the value {option["value"]} and a label.'
                )
            options[str(option["value"])] = label
        texts[link_id] = {"text": theirs.text.strip(), "options": options}
    extra = sorted(
        link_id for link_id, item in found.items() if link_id not in ours and item.type in QUESTION_TYPES
    )
    if extra:
        problems.append(f"Questions this instrument does not have: {', '.join(extra)}.")
    if problems:
        refuse(problems)
    return {
        "title": (parsed.title or "")[:200],
        "questionnaire_url": (parsed.url or "")[:400],
        "questionnaire_version": (parsed.version or "")[:60],
        "items": texts,
    }


# --- A part of the patient's record in FHIR exports ------------------------------------


def _rereferenced(node, reference):
    """``node`` with each ``{"reference": "Type/id"}`` written the way the export
    writes its own references (``urn:uuid:`` inside a Bundle, ``Type/id`` in NDJSON)."""
    if isinstance(node, dict):
        if set(node) >= {"reference"} and isinstance(node["reference"], str) and "/" in node["reference"]:
            resource_type, _, resource_id = node["reference"].partition("/")
            if not resource_type.startswith("http"):
                return {**node, "reference": reference(resource_type, resource_id)}
        return {key: _rereferenced(value, reference) for key, value in node.items()}
    if isinstance(node, list):
        return [_rereferenced(value, reference) for value in node]
    return node


class MeasureRecord:
    """The patient's outcome measures in the FHIR exports (the patient Bundle,
    ``$everything`` and the bulk export): each response a QuestionnaireResponse, its
    total an Observation. Named in ``GLIDE_FHIR_RECORD_PROVIDERS``."""

    def prefetch(self, patients):
        responses = MeasureResponse.objects.select_related("instrument", "recorded_by").order_by(
            "taken_at", "pk"
        )
        return patients.prefetch_related(
            models.Prefetch("measure_responses", queryset=responses, to_attr="fhir_measure_responses")
        )

    def resources(self, mapper, patient):
        responses = patient.fhir_measure_responses
        replaced = {response.replaces_id for response in responses if response.replaces_id}
        for response in responses:
            is_replaced = response.pk in replaced
            yield _rereferenced(questionnaire_response_json(response, replaced=is_replaced), mapper.reference)
            total = score_observation_json(response, replaced=is_replaced)
            if total is not None:
                yield _rereferenced(total, mapper.reference)

    def people(self, patient):
        return {
            response.recorded_by_id: response.recorded_by
            for response in patient.fhir_measure_responses
            if response.recorded_by_id
        }
