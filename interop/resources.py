"""
The resource types the FHIR server reads and searches, each over the Glide records
behind it and scoped to the caller's clinics exactly like the API
(``clinics_of(user)``): another clinic's record is simply not in the queryset.

A type is a ``ResourceType``: its scoped queryset (with what the mapping reads,
prefetched), its search parameters, how a record becomes the resource, and which
patient a read concerns (for the audit trail). ``REGISTRY`` holds them by name; an
app adds its own with ``register()`` from its ``AppConfig.ready``, and the server's
routes and CapabilityStatement follow.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

from assessments.models import Assessment, HandoutPrint, Plan, PlanItem, StepFinding, TestResult
from clinic.models import Clinic, Membership, Patient, clinics_of

from . import fhir
from .search import SearchError, SearchParam, date_q, reference_q, split_token

REGISTRY = {}


def register(resource_type_class):
    """Serve a ``ResourceType`` subclass (usable as a class decorator)."""
    REGISTRY[resource_type_class.name] = resource_type_class()
    return resource_type_class


class ResourceType:
    name = ""
    # Search parameters by name, in the order the CapabilityStatement lists them.
    params = ()
    ordering = ("pk",)

    def queryset(self, user):
        raise NotImplementedError

    def to_resource(self, mapper, obj):
        raise NotImplementedError

    def clinic_of(self, obj):
        return obj.clinic

    def patient_of(self, obj):
        """The patient whose record ``obj`` is part of, or None."""
        return None

    def search_params(self):
        return {param.name: param for param in self.params}

    def get(self, user, pk):
        return self.queryset(user).filter(pk=pk).first()

    def search(self, user, query, offset, count):
        """``(total, records)`` of one page of the search."""
        from .search import apply

        found = apply(self.queryset(user), self.search_params(), query).order_by(*self.ordering)
        return found.count(), list(found[offset : offset + count])


def token_param(name, documentation, match):
    """A token parameter; ``match(system, code)`` gives the Q of one value."""

    def build(value):
        system, code = split_token(value)
        return match(system, code)

    return SearchParam(name, "token", documentation, build)


def patient_param(field_name):
    return SearchParam(
        "patient",
        "reference",
        "The patient: Patient/<id> or <id>.",
        reference_q(field_name, "Patient"),
    )


def date_param(field_name, documentation, *, is_date=False):
    build = date_q(field_name, is_date=is_date)
    return SearchParam("date", "date", documentation, lambda value: build(value, "date"))


def category_param(documentation, codes, system):
    """A category search: ``codes`` are the categories every resource of the type has."""

    def match(wanted_system, code):
        if wanted_system not in (None, "", system) or code not in codes:
            return Q(pk__in=[])
        return Q(pk__isnull=False)

    return token_param("category", documentation, match)


# --- Patient -------------------------------------------------------------------------


def _identifier_match(system, value):
    """The clinic's chart-number system is the chart number; any other system is an
    identifier a sender gave; no system matches either."""
    if not value:
        raise SearchError("identifier: give a value (system|value or value).")
    chart = Q(chart_number=value)
    kept = Q(external_identifiers__value=value)
    if system is None or system == "":
        return chart | kept
    prefix = f"{fhir.base_url()}/clinics/"
    if system.startswith(prefix) and system.endswith("/chart-number"):
        return chart & Q(clinic__slug=system[len(prefix) : -len("/chart-number")])
    return Q(external_identifiers__system=system, external_identifiers__value=value)


def _name_match(value):
    return (
        Q(given_name__istartswith=value)
        | Q(family_name__istartswith=value)
        | Q(given_name__icontains=f" {value}")
        | Q(family_name__icontains=f" {value}")
    )


def _last_updated(value):
    return date_q("updated_at")(value, "_lastUpdated")


@register
class PatientType(ResourceType):
    name = "Patient"
    ordering = ("family_name", "given_name", "pk")
    params = (
        token_param(
            "identifier", "A chart number or a sender's identifier: system|value or value.", _identifier_match
        ),
        SearchParam(
            "name", "string", "Given or family name, starting with the value (any case).", _name_match
        ),
        SearchParam(
            "birthdate",
            "date",
            "Date of birth, with eq/ne/lt/gt/le/ge.",
            date_q("date_of_birth", is_date=True),
        ),
        SearchParam("_lastUpdated", "date", "When the patient's details last changed.", _last_updated),
    )

    def queryset(self, user):
        return (
            Patient.objects.for_user(user).select_related("clinic").prefetch_related("external_identifiers")
        )

    def to_resource(self, mapper, obj):
        return mapper.patient(obj)

    def patient_of(self, obj):
        return obj

    def search(self, user, query, offset, count):
        from .search import apply

        ids = apply(Patient.objects.for_user(user), self.search_params(), query).values("pk")
        found = self.queryset(user).filter(pk__in=ids).order_by(*self.ordering)
        return found.count(), list(found[offset : offset + count])


# --- Encounter -----------------------------------------------------------------------


@register
class EncounterType(ResourceType):
    name = "Encounter"
    ordering = ("performed_at", "pk")
    params = (patient_param("patient_id"), date_param("performed_at", "When the visit took place."))

    def queryset(self, user):
        return Assessment.objects.for_user(user).select_related("patient", "therapist", "clinic")

    def to_resource(self, mapper, obj):
        return mapper.encounter(obj, obj.patient)

    def patient_of(self, obj):
        return obj.patient


# --- Observation: a test on one side, and each step's finding ----------------------------


def _observation_code(system, code, *, steps):
    """A test code (``SLR``) finds the test Observations; a step code (``SLR.hip-flexion``)
    the finding Observations."""
    if steps:
        test_code, dot, step_code = code.partition(".")
        if not dot:
            return Q(pk__in=[])
        query = Q(result__test__code=test_code, step__code=step_code)
        if system == fhir.code_system("neurodynamic-test-step"):
            query &= Q(result__test__clinic__isnull=True)
        elif system:
            query &= Q(result__test__clinic__slug=_clinic_slug_of(system, "neurodynamic-test-step"))
        return query
    query = Q(test__code=code)
    if system == fhir.code_system("neurodynamic-test"):
        query &= Q(test__clinic__isnull=True)
    elif system:
        query &= Q(test__clinic__slug=_clinic_slug_of(system, "neurodynamic-test"))
    return query


def _clinic_slug_of(system, name):
    prefix, suffix = f"{fhir.base_url()}/clinics/", f"/CodeSystem/{name}"
    if system.startswith(prefix) and system.endswith(suffix):
        return system[len(prefix) : -len(suffix)]
    return ""  # no clinic has an empty slug: an unknown system matches nothing


EXAM = fhir.OBSERVATION_CATEGORY


@register
class ObservationType(ResourceType):
    """Two kinds of record behind one type: a test result (the group, ``hasMember``
    its findings) and a step finding. A search lists the groups, then the findings."""

    name = "Observation"

    def search_params(self):
        return {param.name: param for param in self.params_for(steps=False)}

    def params_for(self, *, steps):
        prefix = "result__" if steps else ""
        return (
            patient_param(f"{prefix}assessment__patient_id"),
            date_param(f"{prefix}assessment__performed_at", "When the test was done."),
            token_param(
                "code",
                "A test (SLR) or a step (SLR.hip-flexion), optionally system|code.",
                lambda system, code: _observation_code(system, code, steps=steps),
            ),
            category_param("exam (every Observation here is one).", {"exam"}, EXAM),
        )

    @property
    def params(self):
        return self.params_for(steps=False)

    def results(self, user):
        return (
            TestResult.objects.filter(assessment__clinic_id__in=clinics_of(user))
            .select_related(
                "test",
                "assessment__patient",
                "assessment__therapist",
                "assessment__signed_by",
                "assessment__clinic",
            )
            .prefetch_related(
                models.Prefetch("findings", queryset=StepFinding.objects.select_related("step")),
                "assessment__addenda__author",
            )
        )

    def findings(self, user):
        return StepFinding.objects.filter(result__assessment__clinic_id__in=clinics_of(user)).select_related(
            "step",
            "result__test",
            "result__assessment__patient",
            "result__assessment__therapist",
            "result__assessment__clinic",
        )

    def get(self, user, pk):
        return self.results(user).filter(pk=pk).first() or self.findings(user).filter(pk=pk).first()

    def search(self, user, query, offset, count):
        from .search import apply

        groups = apply(self.results(user), self.search_params(), query).order_by(
            "assessment__performed_at", "pk"
        )
        members = apply(
            self.findings(user), {param.name: param for param in self.params_for(steps=True)}, query
        ).order_by("result__assessment__performed_at", "result__pk", "step__order", "pk")
        group_total, member_total = groups.count(), members.count()
        page = list(groups[offset : offset + count]) if offset < group_total else []
        if len(page) < count:
            start = max(offset - group_total, 0)
            page += list(members[start : start + count - len(page)])
        return group_total + member_total, page

    def clinic_of(self, obj):
        return self._assessment(obj).clinic

    def _assessment(self, obj):
        return obj.result.assessment if isinstance(obj, StepFinding) else obj.assessment

    def to_resource(self, mapper, obj):
        assessment = self._assessment(obj)
        if isinstance(obj, StepFinding):
            return mapper.finding_observation(obj, obj.result, assessment, assessment.patient)
        return mapper.observation(obj, assessment, assessment.patient)

    def patient_of(self, obj):
        return self._assessment(obj).patient


# --- Plans ------------------------------------------------------------------------------


def _care_plan_category(system, code):
    if system not in (None, "", fhir.SNOMED) or code != fhir.EXERCISE_THERAPY["code"]:
        return Q(pk__in=[])
    return Q(pk__isnull=False)


@register
class CarePlanType(ResourceType):
    name = "CarePlan"
    ordering = ("start_date", "created_at", "pk")
    params = (
        patient_param("patient_id"),
        date_param("start_date", "The plan's start date.", is_date=True),
        token_param(
            "category",
            f"{fhir.SNOMED}|{fhir.EXERCISE_THERAPY['code']} (exercise therapy).",
            _care_plan_category,
        ),
    )

    def queryset(self, user):
        return (
            Plan.objects.for_user(user)
            .select_related("patient", "therapist", "clinic")
            .prefetch_related(models.Prefetch("items", queryset=PlanItem.objects.select_related("exercise")))
        )

    def to_resource(self, mapper, obj):
        return mapper.care_plan(obj, obj.patient)

    def patient_of(self, obj):
        return obj.patient


def _exercise_code(system, code):
    query = Q(exercise__slug=code)
    if system == fhir.code_system("exercise"):
        query &= Q(exercise__clinic__isnull=True)
    elif system:
        query &= Q(exercise__clinic__slug=_clinic_slug_of(system, "exercise"))
    return query


@register
class ServiceRequestType(ResourceType):
    name = "ServiceRequest"
    ordering = ("plan__start_date", "plan__created_at", "order", "pk")
    params = (
        patient_param("plan__patient_id"),
        SearchParam(
            "authored",
            "date",
            "When the plan was written.",
            lambda value: date_q("plan__created_at")(value, "authored"),
        ),
        token_param("code", "The exercise: its slug, optionally system|slug.", _exercise_code),
        token_param(
            "category",
            f"{fhir.SNOMED}|{fhir.EXERCISE_THERAPY['code']} (exercise therapy).",
            _care_plan_category,
        ),
    )

    def queryset(self, user):
        return PlanItem.objects.filter(plan__clinic_id__in=clinics_of(user)).select_related(
            "exercise", "plan__patient", "plan__therapist", "plan__clinic"
        )

    def clinic_of(self, obj):
        return obj.plan.clinic

    def to_resource(self, mapper, obj):
        return mapper.service_request(obj, obj.plan, obj.plan.patient)

    def patient_of(self, obj):
        return obj.plan.patient


def _document_type(system, code):
    if system not in (None, "", fhir.code_system("document-type")) or code != "home-exercise-handout":
        return Q(pk__in=[])
    return Q(pk__isnull=False)


@register
class DocumentReferenceType(ResourceType):
    name = "DocumentReference"
    ordering = ("created_at", "pk")
    params = (
        patient_param("plan__patient_id"),
        date_param("created_at", "When the handout was printed."),
        token_param("type", "home-exercise-handout, optionally system|code.", _document_type),
    )

    def queryset(self, user):
        prints = HandoutPrint.objects.filter(clinic_id__in=clinics_of(user))
        return fhir.with_pdf_kept(prints.select_related("plan__patient", "printed_by", "clinic"))

    def to_resource(self, mapper, obj):
        return mapper.document_reference(obj, obj.plan, obj.plan.patient)

    def patient_of(self, obj):
        return obj.plan.patient


# --- People and clinics ----------------------------------------------------------------


@register
class OrganizationType(ResourceType):
    name = "Organization"
    ordering = ("name", "pk")
    params = (
        SearchParam(
            "name", "string", "The clinic's name, starting with the value.", lambda v: Q(name__istartswith=v)
        ),
    )

    def queryset(self, user):
        return Clinic.objects.filter(pk__in=clinics_of(user))

    def clinic_of(self, obj):
        return obj

    def to_resource(self, mapper, obj):
        return mapper.organization()


@register
class PractitionerType(ResourceType):
    """The members of the caller's clinics. A practitioner belongs to no one clinic, so
    the resource is mapped in the first clinic the caller shares with them."""

    name = "Practitioner"
    ordering = ("last_name", "first_name", "pk")
    params = (
        SearchParam(
            "name",
            "string",
            "Given or family name, starting with the value.",
            lambda v: Q(first_name__istartswith=v) | Q(last_name__istartswith=v),
        ),
    )

    def queryset(self, user):
        shared = Membership.objects.filter(clinic_id__in=clinics_of(user)).select_related("clinic")
        return (
            get_user_model()
            .objects.filter(pk__in=shared.values("user_id"))
            .prefetch_related(
                models.Prefetch("memberships", queryset=shared.order_by("clinic__name"), to_attr="shared")
            )
        )

    def clinic_of(self, obj):
        return obj.shared[0].clinic

    def to_resource(self, mapper, obj):
        return mapper.practitioner(obj)


@register
class PractitionerRoleType(ResourceType):
    """A membership: who works at which clinic. Its id is derived from both
    (``fhir.practitioner_role_id``), the same in every export."""

    name = "PractitionerRole"
    ordering = ("clinic__name", "user__last_name", "user__first_name", "pk")
    params = (
        SearchParam(
            "practitioner",
            "reference",
            "The practitioner: Practitioner/<id> or <id>.",
            reference_q("user_id", "Practitioner"),
        ),
        SearchParam(
            "organization",
            "reference",
            "The clinic: Organization/<id> or <id>.",
            reference_q("clinic_id", "Organization"),
        ),
    )

    def queryset(self, user):
        return Membership.objects.filter(clinic_id__in=clinics_of(user)).select_related("user", "clinic")

    def get(self, user, pk):
        return next(
            (
                membership
                for membership in self.queryset(user)
                if fhir.practitioner_role_id(membership.clinic_id, membership.user_id) == str(pk)
            ),
            None,
        )

    def to_resource(self, mapper, obj):
        return mapper.practitioner_role(obj.user, obj.role)
