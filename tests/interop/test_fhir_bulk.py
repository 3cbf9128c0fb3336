"""``manage.py export_fhir``: a clinic's records as FHIR Bulk Data NDJSON files."""

import io
import json
import math

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.models import AuditEvent, Clinic, Patient
from interop.ndjson import ExportParameters, export_clinic

from .validation import assert_valid_fhir

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet_login=True, stdout=io.StringIO())


def references_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from references_in(value)


def export(outdir, clinic="harbour", **options):
    call_command("export_fhir", str(outdir), clinic=clinic, stdout=io.StringIO(), **options)
    return {
        path.stem: [json.loads(line) for line in path.read_text().splitlines()]
        for path in sorted(outdir.glob("*.ndjson"))
    }


def test_one_ndjson_file_per_resource_type_each_line_a_valid_resource_of_that_type(demo, tmp_path):
    files = export(tmp_path)

    assert set(files) >= {
        "Patient",
        "Organization",
        "Practitioner",
        "PractitionerRole",
        "Encounter",
        "Observation",
    }
    for resource_type, resources in files.items():
        assert {resource["resourceType"] for resource in resources} == {resource_type}
    assert_valid_fhir(*[resource for resources in files.values() for resource in resources])


def test_the_export_is_a_function_of_a_clinic_parameters_and_an_output(demo):
    class Collected:
        def __init__(self):
            self.lines = {}

        def write(self, resource_type, line):
            self.lines.setdefault(resource_type, []).append(json.loads(line))

    output = Collected()

    counts = export_clinic(Clinic.objects.get(slug="harbour"), ExportParameters(chunk_size=3), output)

    assert counts == {resource_type: len(lines) for resource_type, lines in output.lines.items()}
    assert counts["Patient"] == Patient.objects.filter(clinic__slug="harbour").count()


def test_the_export_holds_the_clinics_patients_only_and_its_references_resolve(demo, tmp_path):
    files = export(tmp_path)

    exported_ids = {resource["id"] for resource in files["Patient"]}
    assert exported_ids == {
        str(pk) for pk in Patient.objects.filter(clinic__slug="harbour").values_list("pk", flat=True)
    }
    present = {
        f"{resource['resourceType']}/{resource['id']}"
        for resources in files.values()
        for resource in resources
    }
    references = {
        reference
        for resources in files.values()
        for resource in resources
        for reference in references_in(resource)
    }
    assert references and references <= present


def test_patients_are_read_chunk_by_chunk(demo, tmp_path):
    patients = Patient.objects.filter(clinic__slug="harbour").count()

    with CaptureQueriesContext(connection) as queries:
        export(tmp_path, chunk_size=4)

    assessment_reads = [q for q in queries if q["sql"].startswith('SELECT "assessments_assessment"')]
    assert len(assessment_reads) == math.ceil(patients / 4)


def test_an_export_leaves_one_audit_record_naming_the_clinic(demo, tmp_path):
    export(tmp_path)

    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert event.clinic.slug == "harbour"
    assert event.detail["format"] == "fhir-ndjson"
    assert event.detail["resources"]["Patient"] == Patient.objects.filter(clinic__slug="harbour").count()


def test_an_unknown_clinic_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="nowhere"):
        export(tmp_path, clinic="nowhere")
