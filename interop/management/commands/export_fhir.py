"""
``manage.py export_fhir --clinic SLUG OUTDIR``: a clinic's whole record as FHIR R4
NDJSON, in the FHIR Bulk Data layout: one file per resource type
(``Patient.ndjson``, ``Observation.ndjson``...), one resource per line, references
written ``Type/id``.

Patients are read in chunks with their records prefetched chunk by chunk, and each
resource is written as soon as it is mapped, so memory stays flat however many
patients the clinic has. Only the therapists involved are remembered until the end,
where their Practitioner and PractitionerRole resources are written.
"""

import getpass
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic import audit
from clinic.models import AuditEvent, Clinic, Patient
from interop import fhir


class Command(BaseCommand):
    help = "Export a clinic's records as FHIR R4 NDJSON files, one per resource type (FHIR Bulk Data layout)."

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="Directory to write the .ndjson files to (created if missing).")
        parser.add_argument("--clinic", required=True, help="The clinic's slug.")
        parser.add_argument(
            "--chunk-size", type=int, default=500, help="Patients read per database round (default 500)."
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Address of the Glide server, for the handout links (e.g. https://glide.example.org).",
        )

    def handle(self, *args, outdir, clinic, chunk_size, site_url, **options):
        clinic_slug = clinic
        clinic = Clinic.objects.filter(slug=clinic_slug).first()
        if clinic is None:
            raise CommandError(f'No clinic has the slug "{clinic_slug}".')
        directory = Path(outdir)
        directory.mkdir(parents=True, exist_ok=True)
        mapper = fhir.Mapper(clinic=clinic, reference=fhir.relative_reference, site_url=site_url.rstrip("/"))
        counts = {}
        files = {}

        def write(resource):
            resource_type = resource["resourceType"]
            if resource_type not in files:
                files[resource_type] = (directory / f"{resource_type}.ndjson").open("w", encoding="utf-8")
            files[resource_type].write(json.dumps(resource, separators=(",", ":"), ensure_ascii=False) + "\n")
            counts[resource_type] = counts.get(resource_type, 0) + 1

        try:
            write(mapper.organization())
            users = {}
            patients = fhir.with_records(Patient.objects.filter(clinic=clinic).order_by("pk"))
            for patient in patients.iterator(chunk_size=chunk_size):
                users.update(fhir.therapists_involved(patient))
                for resource in mapper.record(patient):
                    write(resource)
            for resource in mapper.people(users, fhir.roles_in(clinic, users)):
                write(resource)
        finally:
            for handle in files.values():
                handle.close()

        audit.record(
            None,
            AuditEvent.Action.EXPORT,
            clinic=clinic,
            object_type="clinic",
            object_id=str(clinic.pk),
            username=_operator(),
            format="fhir-ndjson",
            outdir=str(directory.resolve()),
            resources=counts,
        )
        for resource_type, count in sorted(counts.items()):
            self.stdout.write(f"{resource_type}.ndjson: {count}")


def _operator():
    """Who ran the command, for the audit trail."""
    try:
        return f"{getpass.getuser()} (manage.py)"
    except (KeyError, OSError):
        return "manage.py"
