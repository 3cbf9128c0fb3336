"""
A clinic's whole record as FHIR Bulk Data NDJSON: one stream per resource type
(``Patient.ndjson``, ``Observation.ndjson``...), one resource per line, references
written ``Type/id``.

``export_clinic(clinic, parameters, output)`` does the work and knows nothing of
where it runs: ``manage.py export_fhir`` calls it with a directory, and a background
task can call it the same way. Patients are read in chunks with their records
prefetched chunk by chunk, and each resource is written as soon as it is mapped, so
memory stays flat however many patients the clinic has. Only the people involved
are remembered until the end, where their Practitioner and PractitionerRole
resources are written.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from clinic.models import Patient

from . import fhir, records


@dataclass(frozen=True)
class ExportParameters:
    site_url: str = ""
    chunk_size: int = 500


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


def export_clinic(clinic, parameters, output):
    """Write ``clinic``'s records to ``output`` (anything with
    ``write(resource_type, line)``); return the number of resources by type."""
    mapper = fhir.Mapper(
        clinic=clinic, reference=fhir.relative_reference, site_url=parameters.site_url.rstrip("/")
    )
    counts = {}

    def write(resource):
        resource_type = resource["resourceType"]
        output.write(resource_type, json.dumps(resource, separators=(",", ":"), ensure_ascii=False) + "\n")
        counts[resource_type] = counts.get(resource_type, 0) + 1

    write(mapper.organization())
    users = {}
    patients = records.with_records(Patient.objects.filter(clinic=clinic).order_by("pk"))
    for patient in patients.iterator(chunk_size=parameters.chunk_size):
        users.update(records.therapists_involved(patient))
        write(mapper.patient(patient))
        for resource in records.clinical_resources(mapper, patient):
            write(resource)
    for resource in mapper.people(users, records.roles_in(clinic, users)):
        write(resource)
    return counts
