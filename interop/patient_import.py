"""
A FHIR Patient resource read into a clinic.

The chart number is the identifier in the clinic's own chart-number system, else the
first medical record number (``MR``), else the first identifier with a value. Every
identifier the sender gave, with its system, is kept (``PatientIdentifier``) and
written back in every export of the patient.

Posting a chart number the clinic already has finds that patient when the
demographics agree (name, birth date, sex), and is refused as a conflict when they do
not: a different person under a known chart number is a mistake to fix at the
source, never a silent match.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.models import Patient

from .fhir import V2_IDENTIFIER_TYPE, chart_number_system, issue
from .models import PatientIdentifier

FHIR_GENDERS = {choice.value for choice in Patient.Sex}
# What must agree for a re-posted chart number to be the same person.
DEMOGRAPHICS = ("given_name", "family_name", "date_of_birth", "sex")


class InvalidResource(Exception):
    """A FHIR resource Glide cannot accept; ``issues`` are OperationOutcome issues."""

    status_code = 400

    def __init__(self, issues):
        super().__init__("; ".join(issue["diagnostics"] for issue in issues))
        self.issues = issues


class ConflictingPatient(InvalidResource):
    """The chart number belongs to a patient whose demographics differ."""

    status_code = 409

    def __init__(self, patient, differences):
        self.patient = patient
        super().__init__(
            [
                issue(
                    f"Chart number {patient.chart_number!r} already belongs to a patient whose "
                    f"{', '.join(PATIENT_FIELD_NAMES[name] for name in differences)} differ. "
                    "Correct the resource or the existing record; nothing was written.",
                    PATIENT_FIELD_PATHS[differences[0]],
                    code="conflict",
                )
            ]
        )


def _fhirpath(location):
    path = "Patient"
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in ("__root__",):
            path += f".{part}"
    return path


def _nul_paths(node, path="Patient"):
    """Where a NUL character hides in a JSON document: no database stores it
    (PostgreSQL refuses it, SQLite keeps it and cuts text at it)."""
    if isinstance(node, str):
        if "\x00" in node:
            yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _nul_paths(key, path)
            yield from _nul_paths(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nul_paths(value, f"{path}[{index}]")


def validate_resource(data, resource_type):
    """Check ``data`` against the FHIR model of ``resource_type`` (the R4B models, see
    ``interop.fhir``) and return the parsed resource."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError as PydanticValidationError

    if not isinstance(data, dict):
        raise InvalidResource([issue("The body is not a JSON object.", code="structure")])
    if data.get("resourceType") != resource_type:
        raise InvalidResource(
            [
                issue(
                    f"Expected a {resource_type} resource.", f"{resource_type}.resourceType", code="structure"
                )
            ]
        )
    nuls = list(_nul_paths(data, resource_type))
    if nuls:
        raise InvalidResource(
            [issue("Text may not contain NUL characters.", path, code="value") for path in nuls]
        )
    try:
        return get_fhir_model_class(resource_type).model_validate(data)
    except PydanticValidationError as error:
        raise InvalidResource(
            [issue(detail["msg"], _fhirpath(detail["loc"]), code="structure") for detail in error.errors()]
        ) from None


# Where a Patient field came from in the resource, to point errors at it.
PATIENT_FIELD_PATHS = {
    "chart_number": "Patient.identifier",
    "given_name": "Patient.name[0].given[0]",
    "family_name": "Patient.name[0].family",
    "date_of_birth": "Patient.birthDate",
    "sex": "Patient.gender",
    "phone": "Patient.telecom",
    "email": "Patient.telecom",
    "preferred_language": "Patient.communication",
}
PATIENT_FIELD_NAMES = {
    "given_name": "given name",
    "family_name": "family name",
    "date_of_birth": "birth date",
    "sex": "sex",
}


def chart_number_from(identifiers, clinic):
    """The chart number for ``clinic``: the identifier in the clinic's own chart-number
    system; else the first medical record number (``MR``), e.g. another clinic's
    chart number; else the first identifier with a value."""
    with_value = [identifier for identifier in identifiers if identifier.get("value")]
    for identifier in with_value:
        if identifier.get("system") == chart_number_system(clinic):
            return identifier["value"]
    for identifier in with_value:
        codings = (identifier.get("type") or {}).get("coding") or []
        if any(
            coding.get("system") == V2_IDENTIFIER_TYPE and coding.get("code") == "MR" for coding in codings
        ):
            return identifier["value"]
    return with_value[0]["value"] if with_value else ""


def senders_identifiers(identifiers, clinic):
    """The identifiers with a system, other than the clinic's own chart number, as
    ``(system, value)`` in the sender's order."""
    own = chart_number_system(clinic)
    kept = []
    for identifier in identifiers:
        pair = (identifier.get("system") or "", identifier.get("value") or "")
        if all(pair) and pair[0] != own and pair not in kept:
            kept.append(pair)
    return kept


def _official_name(names):
    for name in names:
        if name.get("use") == "official":
            return name
    return names[0] if names else {}


def patient_fields(data, clinic):
    """The Glide Patient fields held by a FHIR Patient resource, checked."""
    validate_resource(data, "Patient")
    name = _official_name(data.get("name") or [])
    telecom = data.get("telecom") or []
    phones = [point["value"] for point in telecom if point.get("system") == "phone" and point.get("value")]
    emails = [point["value"] for point in telecom if point.get("system") == "email" and point.get("value")]
    languages = [
        coding.get("code")
        for entry in data.get("communication") or []
        for coding in (entry.get("language") or {}).get("coding") or []
        if coding.get("code")
    ]
    fields = {
        "chart_number": chart_number_from(data.get("identifier") or [], clinic),
        "given_name": " ".join(name.get("given") or []),
        "family_name": name.get("family") or "",
        "date_of_birth": data.get("birthDate"),
        "sex": data.get("gender") or Patient.Sex.UNKNOWN,
        "phone": phones[0] if phones else "",
        "email": emails[0] if emails else "",
        "preferred_language": languages[0] if languages else "en",
    }
    issues = []
    if not fields["chart_number"]:
        issues.append(
            issue("An identifier (the chart number) is required.", "Patient.identifier", code="required")
        )
    if fields["sex"] not in FHIR_GENDERS:
        issues.append(issue(f"Unknown gender {fields['sex']!r}.", "Patient.gender", code="value"))
    birth_date = fields["date_of_birth"]
    if birth_date is not None:
        try:
            fields["date_of_birth"] = datetime.date.fromisoformat(str(birth_date))
        except ValueError:
            issues.append(
                issue("Glide needs a full birth date (YYYY-MM-DD).", "Patient.birthDate", code="value")
            )
    if issues:
        raise InvalidResource(issues)
    return fields


def _same_person(existing, fields):
    differences = [name for name in DEMOGRAPHICS if getattr(existing, name) != fields[name]]
    if differences:
        raise ConflictingPatient(existing, differences)
    return existing


def _keep_identifiers(patient, identifiers):
    known = set(patient.external_identifiers.values_list("system", "value"))
    PatientIdentifier.objects.bulk_create(
        PatientIdentifier(clinic_id=patient.clinic_id, patient=patient, system=system, value=value)
        for system, value in identifiers
        if (system, value) not in known
    )


def import_patient(data, clinic):
    """Create the patient a FHIR Patient resource describes in ``clinic``, or find the
    same person under the same chart number there. Returns ``(patient, created)``;
    raises ``InvalidResource`` (400) or ``ConflictingPatient`` (409) and writes
    nothing when the resource cannot be accepted."""
    fields = patient_fields(data, clinic)
    identifiers = senders_identifiers(data.get("identifier") or [], clinic)
    too_long = [
        issue(
            "An identifier's system and value have at most 255 characters.",
            "Patient.identifier",
            code="value",
        )
        for system, value in identifiers
        if len(system) > 255 or len(value) > 255
    ]
    if too_long:
        raise InvalidResource(too_long[:1])
    existing = Patient.objects.filter(clinic=clinic, chart_number=fields["chart_number"]).first()
    if existing:
        with transaction.atomic():
            _keep_identifiers(_same_person(existing, fields), identifiers)
        return existing, False
    patient = Patient(clinic=clinic, **fields)
    try:
        patient.full_clean(exclude=["clinic"], validate_unique=False)
    except ValidationError as error:
        raise InvalidResource(
            [
                issue(message, PATIENT_FIELD_PATHS.get(name), code="value")
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None
    try:
        with transaction.atomic():
            patient.save()
            _keep_identifiers(patient, identifiers)
    except IntegrityError:
        # Another request created the same chart number meanwhile: the same person, or
        # a conflict, exactly as if it had come first.
        existing = Patient.objects.get(clinic=clinic, chart_number=fields["chart_number"])
        with transaction.atomic():
            _keep_identifiers(_same_person(existing, fields), identifiers)
        return existing, False
    return patient, True
