"""
A patient's whole record as FHIR resources, assembled from record providers.

Each provider contributes one part of a patient's record: ``prefetch(patients)``
adds what it reads to a patient queryset (so a whole record costs the same number of
queries for one visit or a hundred, chunk by chunk with ``.iterator()``),
``resources(mapper, patient)`` yields the part's resources, and ``people(patient)``
the users named in it (who become Practitioner and PractitionerRole resources).

The providers are named in the setting ``GLIDE_FHIR_RECORD_PROVIDERS`` (dotted
paths to classes); ``NeurodynamicRecord`` (visits, tests, findings, plans,
handouts) comes first. Another app adds its part (outcome measures, for instance)
by adding its provider's path there; the patient Bundle of the API,
``/fhir/Patient/<id>/$everything`` and the bulk NDJSON export all follow.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from assessments.models import Addendum, Assessment, HandoutPrint, Plan, PlanItem, StepFinding, TestResult
from clinic.models import Membership

from .fhir import Mapper, bundle_reference, instant, prefetched, related, with_pdf_kept


def _rows(name, queryset):
    return models.Prefetch(name, queryset=queryset, to_attr=prefetched(name))


class NeurodynamicRecord:
    """Visits (Encounter), tests on each side with their step findings
    (Observation), plans (CarePlan, ServiceRequest) and printed handouts
    (DocumentReference)."""

    def prefetch(self, patients):
        # The findings and results are most of the rows: their test and step (a few
        # catalogue rows named by thousands) are read once per chunk by
        # ``prefetch_related`` and shared, rather than joined to every row and built
        # again for each, and their timestamps, which are not mapped, are not read.
        # Each relation's rows land in a list (``fhir.related`` reads it).
        findings = StepFinding.objects.defer("created_at", "updated_at").prefetch_related("step")
        results = (
            TestResult.objects.defer("created_at", "updated_at")
            .prefetch_related("test")
            .prefetch_related(_rows("findings", findings))
        )
        assessments = (
            Assessment.objects.select_related("therapist", "signed_by")
            .order_by("performed_at", "pk")
            .prefetch_related(
                _rows("results", results), _rows("addenda", Addendum.objects.select_related("author"))
            )
        )
        prints = with_pdf_kept(HandoutPrint.objects.select_related("printed_by").order_by("created_at"))
        plans = (
            Plan.objects.select_related("therapist")
            .order_by("start_date", "created_at")
            .prefetch_related(
                _rows("items", PlanItem.objects.select_related("exercise")), _rows("prints", prints)
            )
        )
        return patients.prefetch_related(_rows("assessments", assessments), _rows("plans", plans))

    def resources(self, mapper, patient):
        for assessment in related(patient, "assessments"):
            yield mapper.encounter(assessment, patient)
            for result in related(assessment, "results"):
                yield mapper.observation(result, assessment, patient)
                for finding in mapper.findings(result):
                    yield mapper.finding_observation(finding, result, assessment, patient)
        for plan in related(patient, "plans"):
            yield mapper.care_plan(plan, patient)
            for item in related(plan, "items"):
                yield mapper.service_request(item, plan, patient)
            for printed in related(plan, "prints"):
                yield mapper.document_reference(printed, plan, patient)

    def resources_since(self, mapper, patient, since):
        """``resources``, less the visits, plans and prints unchanged since ``since``
        (the Bulk Data ``_since``)."""
        for assessment in related(patient, "assessments"):
            if assessment.updated_at >= since:
                yield mapper.encounter(assessment, patient)
                for result in related(assessment, "results"):
                    yield mapper.observation(result, assessment, patient)
                    for finding in mapper.findings(result):
                        yield mapper.finding_observation(finding, result, assessment, patient)
        for plan in related(patient, "plans"):
            if plan.updated_at >= since:
                yield mapper.care_plan(plan, patient)
                for item in related(plan, "items"):
                    yield mapper.service_request(item, plan, patient)
            for printed in related(plan, "prints"):
                if printed.created_at >= since:
                    yield mapper.document_reference(printed, plan, patient)

    def people(self, patient):
        users = {}
        for assessment in related(patient, "assessments"):
            users[assessment.therapist_id] = assessment.therapist
            if assessment.signed_by_id:
                users[assessment.signed_by_id] = assessment.signed_by
            for addendum in related(assessment, "addenda"):
                users[addendum.author_id] = addendum.author
        for plan in related(patient, "plans"):
            users[plan.therapist_id] = plan.therapist
            for printed in related(plan, "prints"):
                users[printed.printed_by_id] = printed.printed_by
        return users


def record_providers():
    return [import_string(path)() for path in settings.GLIDE_FHIR_RECORD_PROVIDERS]


def with_records(patients):
    """``patients`` with everything every provider's mapping reads, prefetched."""
    patients = patients.select_related("clinic").prefetch_related("external_identifiers")
    for provider in record_providers():
        patients = provider.prefetch(patients)
    return patients


def therapists_involved(patient):
    """Everyone whose name is on the patient's record, by id."""
    users = {}
    for provider in record_providers():
        users.update(provider.people(patient))
    return users


def roles_in(clinic, user_ids):
    return dict(Membership.objects.filter(clinic=clinic, user_id__in=user_ids).values_list("user_id", "role"))


def clinical_resources(mapper, patient, since=None):
    """The resources of one patient's record after the Patient itself, without the
    people and the clinic (which several patients share). With ``since``, a provider
    that can tell what changed (``resources_since``) leaves out what did not."""
    for provider in record_providers():
        if since is not None and hasattr(provider, "resources_since"):
            yield from provider.resources_since(mapper, patient, since)
        else:
            yield from provider.resources(mapper, patient)


def patient_resources(mapper, patient):
    """The Patient, the clinic, the people named, then the record: everything a
    reader needs to follow every reference. One query reads the people's roles."""
    users = therapists_involved(patient)
    return [
        mapper.patient(patient),
        mapper.organization(),
        *mapper.people(users, roles_in(patient.clinic, users)),
        *clinical_resources(mapper, patient),
    ]


def patient_bundle(patient, *, site_url=""):
    """A ``collection`` Bundle of the patient's whole record. ``patient`` comes from
    ``with_records(...)``."""
    mapper = Mapper(clinic=patient.clinic, site_url=site_url)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(timezone.now())},
        "type": "collection",
        "timestamp": instant(timezone.now()),
        "entry": [
            {"fullUrl": bundle_reference(resource["resourceType"], resource["id"]), "resource": resource}
            for resource in patient_resources(mapper, patient)
        ],
    }
