"""
Glide's records as FHIR R4 resources. A reader needs none of Glide's extensions to
follow the clinical meaning; the few extensions used are published
(``interop.conformance``), as are Glide's code systems.

The mapping, resource by resource:

* ``Patient``: the chart number is an identifier (type ``MR``) whose system is scoped
  to the clinic (``{GLIDE_FHIR_BASE_URL}/clinics/{slug}/chart-number``), so two clinics'
  "A-1001" never meet; identifiers a sender gave on import follow, with their own
  systems.
* ``Organization``: the clinic. ``Practitioner`` for each therapist involved (who
  assessed, signed, wrote an addendum, planned or printed), and a ``PractitionerRole``
  tying them to the clinic: its ``code`` is the clinical role (SNOMED CT 36682004
  Physiotherapist, for members who may write clinical records); Glide's permission in
  the clinic is the published ``clinic-permission`` extension. Clinical resources
  point at the role.
* ``Encounter`` per assessment (an ambulatory visit).
* ``Observation`` per test result (one test on one side), with ``hasMember`` naming
  one ``Observation`` per step finding in the order of the test's steps. No LOINC
  codes exist for neurodynamic tests, so ``code`` comes from Glide's own CodeSystem.
  ``bodySite`` is a SNOMED CT body structure refined by its laterality
  (``61685007:272741003=7771000``: lower limb, left). The test's value is the
  effective interpretation (the clinician's override if any), ``interpretation`` the
  HL7 POS/NEG/IND flag; components hold P1 and P2 (UCUM ``deg``) and the structural
  differentiation response. A finding's ``code`` is its step (``SLR.hip-flexion``),
  its value the symptom reproduction; its components, whose codes never repeat, are
  the step's order, each kind of symptom felt (``valueBoolean``), the location and the
  intensity (LOINC 72514-3, the 0-10 pain score). ``status`` is ``final`` once the
  assessment is signed, ``preliminary`` for a draft; addenda become ``note``s.
* ``CarePlan`` per plan, with a ``ServiceRequest`` per exercise: ``code``'s first
  coding is the exercise itself, ``category`` is SNOMED CT 229065009 "Exercise
  therapy". The dose is written for people in ``patientInstruction``; structured, the
  repetitions per set are ``quantityQuantity``, how often is ``occurrenceTiming``
  (``frequency`` a day, with ``dayOfWeek`` when the therapist named the days; a
  weekly ``frequency`` when the plan says only how many days), and the published
  ``exercise-dose`` extension holds what FHIR has no field for (sets, the hold).
* ``DocumentReference`` per printed handout. R4's ``Attachment.hash`` must be a SHA-1
  of the data, and Glide keeps the SHA-256 computed when the PDF was printed, so the
  SHA-256 goes where a hash is correct: the document's ``masterIdentifier``, as an
  RFC 6920 ``ni:///sha-256;...`` URI. Glide keeps the printed PDF, and
  ``attachment.url`` returns exactly those bytes (``/fhir/Binary/<id>``); for prints
  made before the PDF was kept, it is the API address that renders the plan again.

Validation: the tests check every resource against the ``fhir.resources.R4B``
models. Those follow FHIR 4.3.0 (R4B), not 4.0.1 (R4): R4B changed only the
medication-definition, evidence and subscription resources and added the
``CodeableReference`` and ``RatioRange`` types; every resource and data type used
here (Patient, Organization, Practitioner, PractitionerRole, Encounter, Observation,
CarePlan, ServiceRequest, DocumentReference, Bundle, OperationOutcome) is the same
in both, so what validates against R4B is valid R4. The package's top-level models
follow R5 (5.0.0) and must not be used for this.
"""

import base64
import functools
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import get_text_list

from assessments.models import Plan, StepFinding, TestResult
from assessments.schedule import Weekday
from clinic.models import Membership

FHIR_JSON = "application/fhir+json"

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"
URI_SYSTEM = "urn:ietf:rfc:3986"
V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

LATERALITY = {
    "left": {"system": SNOMED, "code": "7771000", "display": "Left"},
    "right": {"system": SNOMED, "code": "24028007", "display": "Right"},
    "both": {"system": SNOMED, "code": "51440002", "display": "Right and left"},
}
PAIN_SCORE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
INTENSITY_CODE = {"coding": [PAIN_SCORE], "text": "Intensity (0-10)"}
EXERCISE_THERAPY = {"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}
WEEKDAY_NAMES = dict(Weekday.choices)
PHYSIOTHERAPIST = {"system": SNOMED, "code": "36682004", "display": "Physiotherapist"}
# The body structure a test or an exercise works on. With a side, the SNOMED CT
# expression refines it with its laterality (272741003): "lower limb, left".
BODY_STRUCTURE = {
    "lower": ("61685007", "Lower limb structure", "lower limb"),
    "upper": ("53120007", "Upper limb structure", "upper limb"),
    "spine": ("421060004", "Structure of vertebral column", "spine"),
}
LATERALITY_ATTRIBUTE = "272741003"
INTERPRETATION_SNOMED = {
    "positive": {"system": SNOMED, "code": "10828004", "display": "Positive"},
    "negative": {"system": SNOMED, "code": "260385009", "display": "Negative"},
    "inconclusive": {"system": SNOMED, "code": "419984006", "display": "Inconclusive"},
}
INTERPRETATION_FLAG = {
    "positive": {"system": V3_INTERPRETATION, "code": "POS", "display": "Positive"},
    "negative": {"system": V3_INTERPRETATION, "code": "NEG", "display": "Negative"},
    "inconclusive": {"system": V3_INTERPRETATION, "code": "IND", "display": "Indeterminate"},
}
CARE_PLAN_STATUS = {
    Plan.Status.ACTIVE: "active",
    Plan.Status.COMPLETED: "completed",
    Plan.Status.STOPPED: "revoked",
}
# Gives practitioner roles stable ids: one per therapist and clinic, the same in
# every export.
PRACTITIONER_ROLE_NAMESPACE = uuid.UUID("5b0c6f5e-2c3f-4d43-9a53-7b6c1f0e4a21")


# --- Canonical URLs ----------------------------------------------------------------


def base_url():
    return settings.GLIDE_FHIR_BASE_URL.rstrip("/")


def code_system(name):
    return f"{base_url()}/CodeSystem/{name}"


def clinic_code_system(clinic, name):
    """The CodeSystem of a clinic's own catalogue entries, whose codes are unique only
    within the clinic."""
    return f"{base_url()}/clinics/{clinic.slug}/CodeSystem/{name}"


def extension_url(name):
    return f"{base_url()}/StructureDefinition/{name}"


def chart_number_system(clinic):
    return f"{base_url()}/clinics/{clinic.slug}/chart-number"


def test_code_system(test, clinic):
    """Standard tests share one CodeSystem; a clinic's own tests get the clinic's, as
    their codes are unique only within it."""
    if test.clinic_id is None:
        return code_system("neurodynamic-test")
    return clinic_code_system(clinic, "neurodynamic-test")


def step_code_system(test, clinic):
    """A step's code is ``{test code}.{step code}``, in the system of its test."""
    if test.clinic_id is None:
        return code_system("neurodynamic-test-step")
    return clinic_code_system(clinic, "neurodynamic-test-step")


def exercise_code_system(exercise, clinic):
    if exercise.clinic_id is None:
        return code_system("exercise")
    return clinic_code_system(clinic, "exercise")


def glide_coding(system_name, code, display=None):
    coding = {"system": code_system(system_name), "code": code}
    if display:
        coding["display"] = display
    return coding


@functools.lru_cache(maxsize=4096)
def practitioner_role_id(clinic_id, user_id):
    return str(uuid.uuid5(PRACTITIONER_ROLE_NAMESPACE, f"{clinic_id}/{user_id}"))


def instant(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def ni_uri(sha256_hex):
    """RFC 6920 "Naming Things with Hashes": the URI naming content by its SHA-256."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).decode().rstrip("=")
    return f"ni:///sha-256;{digest}"


def with_pdf_kept(prints):
    """Handout prints without their PDF bytes, each knowing whether the PDF was kept."""
    return prints.defer("pdf").annotate(
        pdf_kept=models.ExpressionWrapper(models.Q(pdf__isnull=False), output_field=models.BooleanField())
    )


def prefetched(name):
    """The attribute ``interop.records`` prefetches the rows of relation ``name`` into."""
    return f"prefetched_{name}"


def related(instance, name):
    """The rows of the one-to-many relation ``name``: the list prefetched by
    ``interop.records`` (no manager or queryset built per row, which costs more than
    mapping a row in a bulk export), else through the relation's manager."""
    rows = instance.__dict__.get(prefetched(name))
    return getattr(instance, name).all() if rows is None else rows


def handout_path(plan_id):
    return f"/api/v1/plans/{plan_id}/handout.pdf"


# --- References --------------------------------------------------------------------


def bundle_reference(resource_type, resource_id):
    """Inside a Bundle: the entry's ``fullUrl``."""
    return f"urn:uuid:{resource_id}"


def relative_reference(resource_type, resource_id):
    """In Bulk Data NDJSON files, where each resource stands alone."""
    return f"{resource_type}/{resource_id}"


# --- Resources -------------------------------------------------------------------


EXAM_CATEGORY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "exam", "display": "Exam"}]}]
# How many repeated values (references, codings, times) a mapper remembers before it
# starts again: a bulk export's memory stays flat however many patients it maps.
MEMO_LIMIT = 50_000


@dataclass
class Mapper:
    """Turns one clinic's records into FHIR resources (plain dicts), with references
    written by ``reference`` (``bundle_reference`` or ``relative_reference``).

    A bulk export maps millions of resources that repeat the same references,
    codings and times (every finding of a visit names its patient, visit, therapist
    and moment), so each of those is built once and shared by the resources that
    repeat it: resources are read-only once made."""

    clinic: object
    reference: object = bundle_reference
    site_url: str = ""
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remembered(self, key, make, *args):
        """``make(*args)``, built once per ``key`` (a tuple starting with its kind)."""
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            value = memo[key] = make(*args)
            return value

    def ref(self, resource_type, resource_id, display=None):
        reference = {"reference": self.reference(resource_type, str(resource_id))}
        if display:
            reference["display"] = display
        return reference

    def organization_ref(self):
        return self.remembered(("organization",), self.ref, "Organization", self.clinic.pk, self.clinic.name)

    def role_ref(self, user):
        return self.remembered(("role", user.pk), self._role_ref, user)

    def _role_ref(self, user):
        return self.ref("PractitionerRole", practitioner_role_id(self.clinic.pk, user.pk), user.display_name)

    def patient_ref(self, patient):
        return self.remembered(("patient", patient.pk), self.ref, "Patient", patient.pk, patient.full_name)

    def instant(self, moment):
        return self.remembered(("instant", moment), instant, moment)

    def coding(self, system_name, code, display=None):
        return self.remembered(
            ("coding", system_name, code, display), glide_coding, system_name, code, display
        )

    def label(self, instance, field_name):
        """The display of a field's choice, as ``get_FOO_display()`` gives it."""
        value = getattr(instance, field_name)
        return self.remembered(
            ("label", type(instance), field_name, value), getattr(instance, f"get_{field_name}_display")
        )

    # People and places

    def patient(self, patient):
        resource = {
            "resourceType": "Patient",
            "id": str(patient.pk),
            "identifier": [
                {
                    "use": "usual",
                    "type": {
                        "coding": [
                            {"system": V2_IDENTIFIER_TYPE, "code": "MR", "display": "Medical record number"}
                        ]
                    },
                    "system": chart_number_system(self.clinic),
                    "value": patient.chart_number,
                    "assigner": self.organization_ref(),
                },
                *(
                    {"use": "secondary", "system": kept.system, "value": kept.value}
                    for kept in patient.external_identifiers.all()
                ),
            ],
            "active": patient.archived_at is None,
            "name": [{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
            "gender": patient.sex,
            "managingOrganization": self.organization_ref(),
        }
        telecom = []
        if patient.phone:
            telecom.append({"system": "phone", "value": patient.phone})
        if patient.email:
            telecom.append({"system": "email", "value": patient.email})
        if telecom:
            resource["telecom"] = telecom
        if patient.date_of_birth:
            resource["birthDate"] = patient.date_of_birth.isoformat()
        if patient.preferred_language:
            resource["communication"] = [
                {
                    "language": {"coding": [{"system": BCP47, "code": patient.preferred_language}]},
                    "preferred": True,
                }
            ]
        return resource

    def organization(self):
        clinic = self.clinic
        resource = {
            "resourceType": "Organization",
            "id": str(clinic.pk),
            "identifier": [{"system": f"{base_url()}/clinics", "value": clinic.slug}],
            "active": True,
            "name": clinic.name,
        }
        telecom = []
        if clinic.phone:
            telecom.append({"system": "phone", "value": clinic.phone})
        if clinic.email:
            telecom.append({"system": "email", "value": clinic.email})
        if telecom:
            resource["telecom"] = telecom
        if clinic.address:
            lines = [line.strip() for line in clinic.address.splitlines() if line.strip()]
            resource["address"] = [{"text": ", ".join(lines), "line": lines}]
        return resource

    def practitioner(self, user):
        name = {"text": user.display_name}
        if user.last_name:
            name["family"] = user.last_name
        if user.first_name:
            name["given"] = [user.first_name]
        if user.credentials:
            name["suffix"] = [part.strip() for part in user.credentials.split(",") if part.strip()]
        resource = {
            "resourceType": "Practitioner",
            "id": str(user.pk),
            "active": user.is_active,
            "name": [name],
        }
        if user.credentials or user.licence_number:
            qualification = {"code": {"text": user.credentials or "Licensed therapist"}}
            if user.licence_number:
                qualification["identifier"] = [{"value": user.licence_number}]
            resource["qualification"] = [qualification]
        return resource

    def practitioner_role(self, user, role):
        resource = {
            "resourceType": "PractitionerRole",
            "id": practitioner_role_id(self.clinic.pk, user.pk),
            "active": role is not None,
            "practitioner": self.ref("Practitioner", user.pk, user.display_name),
            "organization": self.organization_ref(),
        }
        if role:
            # What the person is (a physiotherapist) is the role's code; what Glide lets
            # them do in the clinic is a published extension.
            resource["extension"] = [
                {
                    "url": extension_url("clinic-permission"),
                    "valueCoding": glide_coding("clinic-role", role, Membership.Role(role).label),
                }
            ]
            if role in (Membership.Role.THERAPIST, Membership.Role.ADMIN):
                resource["code"] = [{"coding": [PHYSIOTHERAPIST], "text": "Physiotherapist"}]
        return resource

    def people(self, users, roles):
        """Practitioner and PractitionerRole for each user, in a stable order."""
        for user in sorted(users.values(), key=lambda user: (user.last_name, user.first_name, str(user.pk))):
            yield self.practitioner(user)
            yield self.practitioner_role(user, roles.get(user.pk))

    # Assessments

    def encounter(self, assessment, patient):
        resource = {
            "resourceType": "Encounter",
            "id": str(assessment.pk),
            "status": "finished",
            "class": {"system": V3_ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "type": [
                {
                    "coding": [glide_coding("encounter-type", "neurodynamic-assessment")],
                    "text": "Neurodynamic assessment",
                }
            ],
            "subject": self.patient_ref(patient),
            "participant": [
                {
                    "type": [
                        {
                            "coding": [
                                {"system": V3_PARTICIPATION, "code": "PPRF", "display": "primary performer"}
                            ]
                        }
                    ],
                    "individual": self.role_ref(assessment.therapist),
                }
            ],
            "period": {"start": self.instant(assessment.performed_at)},
            "serviceProvider": self.organization_ref(),
        }
        if assessment.complaint:
            resource["reasonCode"] = [{"text": assessment.complaint}]
        return resource

    def encounter_ref(self, assessment):
        return self.remembered(("encounter", assessment.pk), self.ref, "Encounter", assessment.pk)

    def findings(self, result):
        """``ordered_findings(result)``, sorted once for the result's Observation and
        its findings' Observations."""
        return self.remembered(("findings", result.pk), ordered_findings, result)

    def result_ref(self, result):
        return self.remembered(("result", result.pk), self.ref, "Observation", result.pk, result.test.name)

    def test_code(self, test):
        return self.remembered(("test", test.pk), self._test_code, test)

    def _test_code(self, test):
        return {
            "coding": [
                {"system": test_code_system(test, self.clinic), "code": test.code, "display": test.name}
            ],
            "text": test.name,
        }

    def step_code(self, test, step):
        return self.remembered(("step", test.pk, step.pk), self._step_code, test, step)

    def _step_code(self, test, step):
        return {
            "coding": [
                {
                    "system": step_code_system(test, self.clinic),
                    "code": f"{test.code}.{step.code}",
                    "display": step.name,
                }
            ],
            "text": f"{test.name}, step {step.order}: {step.name}",
        }

    def body_site(self, region, side, text=None):
        return self.remembered(("body-site", region, side, text), body_site, region, side, text)

    def interpretation(self, final):
        """The value and the flag of a test's interpretation."""
        return self.remembered(("interpretation", final), self._interpretation, final)

    def _interpretation(self, final):
        label = TestResult.Interpretation(final).label
        value = {
            "coding": [glide_coding("test-interpretation", final, label), INTERPRETATION_SNOMED[final]],
            "text": label,
        }
        return value, [{"coding": [INTERPRETATION_FLAG[final]], "text": label}]

    def observation(self, result, assessment, patient):
        test = result.test
        value, flag = self.interpretation(result.final_interpretation)
        resource = {
            "resourceType": "Observation",
            "id": str(result.pk),
            "status": "final" if assessment.is_signed else "preliminary",
            "category": EXAM_CATEGORY,
            "code": self.test_code(test),
            "subject": self.patient_ref(patient),
            "encounter": self.encounter_ref(assessment),
            "effectiveDateTime": self.instant(assessment.performed_at),
            "performer": [self.role_ref(assessment.therapist)],
            "valueCodeableConcept": value,
            "interpretation": flag,
            "bodySite": self.body_site(test.region, result.side),
            "hasMember": [
                self.ref("Observation", finding.pk, finding.step.name) for finding in self.findings(result)
            ],
            "component": self.result_components(result),
        }
        if not resource["hasMember"]:
            del resource["hasMember"]
        if assessment.is_signed:
            resource["issued"] = self.instant(assessment.signed_at)
        notes = self.result_notes(result, assessment)
        if notes:
            resource["note"] = notes
        return resource

    def result_components(self, result):
        joint = result.test.measured_joint
        components = []
        for value, code, label in (
            (result.range_at_onset_deg, "range-at-onset", f"P1: {joint} at symptom onset"),
            (result.range_at_max_deg, "range-at-max", f"P2: {joint} at maximum tolerated symptoms"),
        ):
            if value is not None:
                components.append(
                    {
                        "code": {"coding": [self.coding("observation-component", code)], "text": label},
                        "valueQuantity": {"value": value, "unit": "deg", "system": UCUM, "code": "deg"},
                    }
                )
        differentiation = self.label(result, "differentiation")
        components.append(
            {
                "code": {
                    "coding": [self.coding("observation-component", "structural-differentiation")],
                    "text": "Response to structural differentiation",
                },
                "valueCodeableConcept": {
                    "coding": [
                        self.coding("differentiation-response", result.differentiation, differentiation)
                    ],
                    "text": differentiation,
                },
            }
        )
        if result.interpretation_override:
            computed = self.label(result, "interpretation")
            components.append(
                {
                    "code": {
                        "coding": [self.coding("observation-component", "computed-interpretation")],
                        "text": "Interpretation computed from the findings, before the clinician's override",
                    },
                    "valueCodeableConcept": {
                        "coding": [self.coding("test-interpretation", result.interpretation, computed)],
                        "text": computed,
                    },
                }
            )
        return components

    def finding_observation(self, finding, result, assessment, patient):
        """What was found at one step of a test: the step is the code, the symptom
        reproduction the value; kinds of symptom, where and how strong are components
        whose codes never repeat."""
        test, step = result.test, finding.step
        resource = {
            "resourceType": "Observation",
            "id": str(finding.pk),
            "status": "final" if assessment.is_signed else "preliminary",
            "category": EXAM_CATEGORY,
            "code": self.step_code(test, step),
            "subject": self.patient_ref(patient),
            "encounter": self.encounter_ref(assessment),
            "effectiveDateTime": self.instant(assessment.performed_at),
            "performer": [self.role_ref(assessment.therapist)],
            "valueCodeableConcept": self.remembered(
                ("reproduced", finding.symptoms_reproduced), self._reproduced, finding
            ),
            "bodySite": self.body_site(test.region, result.side, finding.location),
            "derivedFrom": [self.result_ref(result)],
            "component": [
                {
                    "code": self.remembered(("component", "step-order"), self._step_order),
                    "valueInteger": step.order,
                }
            ],
        }
        if assessment.is_signed:
            resource["issued"] = self.instant(assessment.signed_at)
        components = resource["component"]
        for kind in finding.symptom_kinds or []:
            components.append(self.remembered(("symptom-kind", kind), self._symptom_kind, kind))
        if finding.location:
            components.append(
                {
                    "code": self.remembered(("component", "symptom-location"), self._symptom_location),
                    "valueString": finding.location,
                }
            )
        if finding.intensity is not None:
            components.append({"code": INTENSITY_CODE, "valueInteger": finding.intensity})
        return resource

    def _reproduced(self, finding):
        reproduced = finding.get_symptoms_reproduced_display()
        return {
            "coding": [glide_coding("symptom-reproduction", finding.symptoms_reproduced, reproduced)],
            "text": f"Symptoms reproduced: {reproduced.lower()}",
        }

    def _step_order(self):
        return {"coding": [glide_coding("observation-component", "step-order")], "text": "Step"}

    def _symptom_kind(self, kind):
        label = StepFinding.SymptomKind(kind).label
        return {
            "code": {"coding": [glide_coding("symptom-kind", kind, label)], "text": label},
            "valueBoolean": True,
        }

    def _symptom_location(self):
        return {
            "coding": [glide_coding("observation-component", "symptom-location")],
            "text": "Where the symptoms were felt",
        }

    def result_notes(self, result, assessment):
        notes = []
        if result.notes:
            notes.append({"text": result.notes})
        if result.interpretation_override:
            notes.append({"text": f"Interpretation set by the clinician: {result.override_reason}"})
        for addendum in related(assessment, "addenda"):
            notes.append(
                {
                    "authorReference": self.role_ref(addendum.author),
                    "time": self.instant(addendum.created_at),
                    "text": f"Addendum: {addendum.text}",
                }
            )
        return notes

    # Plans and handouts

    def care_plan(self, plan, patient):
        resource = {
            "resourceType": "CarePlan",
            "id": str(plan.pk),
            "status": CARE_PLAN_STATUS[plan.status],
            "intent": "plan",
            "category": [{"coding": [EXERCISE_THERAPY], "text": "Home exercise programme"}],
            "title": "Home exercise plan",
            "subject": self.patient_ref(patient),
            "period": {"start": plan.start_date.isoformat()},
            "created": self.instant(plan.created_at),
            "author": self.role_ref(plan.therapist),
            "activity": [
                {"reference": self.ref("ServiceRequest", item.pk, item.exercise.name)}
                for item in related(plan, "items")
            ],
        }
        if plan.goals:
            resource["description"] = plan.goals
        if plan.assessment_id:
            resource["supportingInfo"] = [self.ref("Encounter", plan.assessment_id)]
        if plan.review_date:
            resource["note"] = [{"text": f"Review on {plan.review_date.isoformat()}."}]
        return resource

    def service_request(self, item, plan, patient):
        exercise = item.exercise
        resource = {
            "resourceType": "ServiceRequest",
            "id": str(item.pk),
            "extension": [self.dose_extension(item)],
            "basedOn": [self.ref("CarePlan", plan.pk)],
            "status": CARE_PLAN_STATUS[plan.status],
            "intent": "plan",
            "category": [{"coding": [EXERCISE_THERAPY], "text": "Exercise therapy"}],
            "code": {
                "coding": [
                    {
                        "system": exercise_code_system(exercise, self.clinic),
                        "code": exercise.slug,
                        "display": exercise.name,
                    },
                ],
                "text": exercise.name,
            },
            "quantityQuantity": {
                "value": item.reps,
                "unit": "repetitions per set",
                "system": UCUM,
                "code": "{repetitions}",
            },
            "subject": self.patient_ref(patient),
            "occurrenceTiming": occurrence_timing(item),
            "authoredOn": self.instant(plan.created_at),
            "requester": self.role_ref(plan.therapist),
            "bodySite": [body_site(exercise.region, item.side)],
            "patientInstruction": dose_text(item),
        }
        return resource

    def dose_extension(self, item):
        return {
            "url": extension_url("exercise-dose"),
            "extension": [
                {"url": "sets", "valueInteger": item.sets},
                {"url": "repetitions", "valueInteger": item.reps},
                {
                    "url": "hold",
                    "valueQuantity": {"value": item.hold_seconds, "unit": "s", "system": UCUM, "code": "s"},
                },
                {"url": "timesPerDay", "valueInteger": item.times_per_day},
                {"url": "daysPerWeek", "valueInteger": item.days_per_week},
            ],
        }

    def document_reference(self, printed, plan, patient):
        """A printed handout. When Glide kept the PDF that was printed (``pdf_kept``,
        annotated by ``with_pdf_kept``), the URL returns exactly those bytes, so the
        size and the SHA-256 describe what the link returns; for older prints the URL
        renders the plan as it is now."""
        kept = getattr(printed, "pdf_kept", False)
        url = (
            f"{self.site_url}/fhir/Binary/{printed.pk}"
            if kept
            else f"{self.site_url}{handout_path(plan.pk)}?paper={printed.paper_size}"
        )
        fetched = (
            "Fetching the URL returns the PDF exactly as it was printed."
            if kept
            else "Fetching the URL renders the plan as it is now; its SHA-256 names the printed copy."
        )
        return {
            "resourceType": "DocumentReference",
            "id": str(printed.pk),
            "masterIdentifier": {"system": URI_SYSTEM, "value": ni_uri(printed.sha256)},
            "identifier": [{"system": f"{base_url()}/handout-sha256", "value": printed.sha256}],
            "status": "current",
            "docStatus": "final",
            "type": {
                "coding": [glide_coding("document-type", "home-exercise-handout")],
                "text": "Home exercise handout",
            },
            "subject": self.patient_ref(patient),
            "date": self.instant(printed.created_at),
            "author": [self.role_ref(printed.printed_by)],
            "custodian": self.organization_ref(),
            "description": (
                f"Home exercise handout printed on {printed.get_paper_size_display()} paper, "
                f"{printed.page_count} page(s). {fetched}"
            ),
            "content": [
                {
                    "attachment": {
                        "contentType": "application/pdf",
                        "language": patient.preferred_language or "en",
                        "url": url,
                        "size": printed.size_bytes,
                        "title": f"Home exercises for {patient.full_name}",
                        "creation": self.instant(printed.created_at),
                    }
                }
            ],
            "context": {"related": [self.ref("CarePlan", plan.pk)]},
        }


def ordered_findings(result):
    """A result's findings in the order of the test's steps (prefetched: no query)."""
    # A UUID orders as its text does, without being written out.
    return sorted(related(result, "findings"), key=lambda finding: (finding.step.order, finding.pk))


def body_site(region, side, text=None):
    """The limb or region as a SNOMED CT body structure, refined by its laterality."""
    code, display, words = BODY_STRUCTURE[region]
    laterality = LATERALITY.get(side)
    if laterality is None:
        return {
            "coding": [{"system": SNOMED, "code": code, "display": display}],
            "text": text or words.capitalize(),
        }
    label = f"{'Both sides' if side == 'both' else laterality['display']}, {words}"
    return {
        "coding": [
            {
                "system": SNOMED,
                "code": f"{code}:{LATERALITY_ATTRIBUTE}={laterality['code']}",
                "display": f"{display}, {laterality['display'].lower()}",
            }
        ],
        "text": text or label,
    }


def dose_text(item):
    """The dose as the handout says it."""
    sets = f"{item.sets} set" + ("s" if item.sets != 1 else "")
    reps = f"{item.reps} repetition" + ("s" if item.reps != 1 else "")
    parts = [f"{sets} of {reps}"]
    if item.hold_seconds:
        parts.append(f"hold each for {item.hold_seconds} seconds")
    times = (
        "once"
        if item.times_per_day == 1
        else ("twice" if item.times_per_day == 2 else f"{item.times_per_day} times")
    )
    parts.append(f"{times} a day")
    parts.append(days_in_words(item))
    side = {"left": "left side", "right": "right side", "both": "both sides"}[item.side]
    text = ", ".join(parts) + f"; {side}."
    if item.cues:
        text += f" {item.cues.strip()}"
    return text


def occurrence_timing(item):
    """How often: ``times_per_day`` a day, on the named days (``dayOfWeek``) or on
    every day; when the plan gives only a number of days and not which, as a weekly
    count (Timing cannot say "twice a day, on any 5 days"; the published
    ``exercise-dose`` extension keeps the two numbers apart)."""
    repeat = {"frequency": item.times_per_day, "period": 1, "periodUnit": "d"}
    if item.weekdays and not item.is_every_day:
        repeat["dayOfWeek"] = list(item.weekdays)
    elif not item.is_every_day:
        repeat = {"frequency": item.times_per_day * item.days_per_week, "period": 1, "periodUnit": "wk"}
    times = f"{item.times_per_day} time" + ("s" if item.times_per_day != 1 else "")
    return {"repeat": repeat, "code": {"text": f"{times} a day, {days_in_words(item)}"}}


def days_in_words(item):
    if item.is_every_day:
        return "every day"
    if item.weekdays:
        return "on " + get_text_list([WEEKDAY_NAMES[day] for day in item.weekdays], "and")
    return f"{item.days_per_week} days a week"


# --- OperationOutcome ------------------------------------------------------------


def issue(diagnostics, expression=None, code="invalid", severity="error"):
    entry = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        entry["expression"] = [expression]
    return entry


def operation_outcome(issues):
    return {"resourceType": "OperationOutcome", "issue": list(issues)}
