"""
A clinic's whole record as FHIR Bulk Data NDJSON: one stream per resource type
(``Patient.ndjson``, ``Observation.ndjson``...), one resource per line, references
written ``Type/id``.

``export_clinic(clinic, parameters, output)`` does the work and knows nothing of
where it runs: ``manage.py export_fhir`` calls it with a directory, and the Bulk
Data job (``interop.jobs``) with its scratch directory, the Bulk Data ``_since`` and
``_type`` and a progress report. Patients are read in chunks with their records
prefetched chunk by chunk (a fixed number of queries per chunk), and each resource
is written as soon as it is mapped, so memory stays flat however many patients the
clinic has. Only the people involved are remembered until the end, where their
Practitioner and PractitionerRole resources are written.

Nothing here validates resources one by one: the tests check the mapping against
the FHIR models, and an export of a large clinic maps millions of resources.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import models

from assessments.models import Assessment, HandoutPrint, Plan
from clinic.models import Patient

from . import fhir, records

# One encoder for every line (``json.dumps`` with options builds one per call).
ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


@dataclass(frozen=True)
class ExportParameters:
    """``since``: only what changed at or after that moment (Bulk Data ``_since``);
    ``types``: only those resource types (``_type``), every type when None."""

    site_url: str = ""
    chunk_size: int = 500
    since: datetime.datetime | None = None
    types: frozenset | None = None

    def wants(self, *resource_types):
        return self.types is None or any(name in self.types for name in resource_types)


class DirectoryOutput:
    """Writes each resource type to ``<directory>/<type>.ndjson``; use as a context
    manager so that every file is closed."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.files = {}

    def write(self, resource_type, line):
        if resource_type not in self.files:
            self.files[resource_type] = (self.directory / f"{resource_type}.ndjson").open(
                "w", encoding="utf-8"
            )
        self.files[resource_type].write(line)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        for handle in self.files.values():
            handle.close()


def changed_since(patients, since):
    """Patients whose record changed at or after ``since``: the patient, a visit, a
    plan or a print of a handout."""
    return patients.filter(
        models.Q(updated_at__gte=since)
        | models.Exists(Assessment.objects.filter(patient=models.OuterRef("pk"), updated_at__gte=since))
        | models.Exists(Plan.objects.filter(patient=models.OuterRef("pk"), updated_at__gte=since))
        | models.Exists(
            HandoutPrint.objects.filter(plan__patient=models.OuterRef("pk"), created_at__gte=since)
        )
    )


def export_clinic(clinic, parameters, output, progress=None):
    """Write ``clinic``'s records to ``output`` (anything with
    ``write(resource_type, line)``); return the number of resources by type.

    ``progress(done, total)``, when given, hears how many patients are written:
    once before the first, after each chunk, and at the end. It may raise to stop
    the export."""
    mapper = fhir.Mapper(
        clinic=clinic, reference=fhir.relative_reference, site_url=parameters.site_url.rstrip("/")
    )
    since, types = parameters.since, parameters.types
    encode = ENCODER.encode
    counts = {}

    def write(resource):
        resource_type = resource["resourceType"]
        if types is not None and resource_type not in types:
            return
        output.write(resource_type, encode(resource) + "\n")
        counts[resource_type] = counts.get(resource_type, 0) + 1

    patients = Patient.objects.filter(clinic=clinic)
    if since is not None:
        patients = changed_since(patients, since)
    total = patients.count() if progress else None
    if progress:
        progress(0, total)
    if parameters.wants("Organization") and (since is None or clinic.updated_at >= since):
        write(mapper.organization())
    users = {}
    size = parameters.chunk_size
    chunks = records.with_records(patients.order_by("pk")).iterator(chunk_size=size)
    for done, patient in enumerate(chunks, 1):
        users.update(records.therapists_involved(patient))
        if since is None or patient.updated_at >= since:
            write(mapper.patient(patient))
        for resource in records.clinical_resources(mapper, patient, since):
            write(resource)
        if progress and done % size == 0:
            progress(done, total)
    if parameters.wants("Practitioner", "PractitionerRole"):
        for resource in mapper.people(users, records.roles_in(clinic, users)):
            write(resource)
    if progress:
        progress(total, total)
    return counts
