"""
``manage.py export_fhir --clinic SLUG OUTDIR``: a clinic's whole record as FHIR R4
NDJSON, in the FHIR Bulk Data layout (``interop.ndjson``): one file per resource type
(``Patient.ndjson``, ``Observation.ndjson``...), one resource per line, references
written ``Type/id``.
"""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic import audit
from clinic.models import AuditEvent, Clinic
from interop.ndjson import DirectoryOutput, ExportParameters, export_clinic


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
        parameters = ExportParameters(site_url=site_url, chunk_size=chunk_size)
        with DirectoryOutput(directory) as output:
            counts = export_clinic(clinic, parameters, output)

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
