"""Two independent checks that resources are valid FHIR R4: the ``fhir.resources``
R4B models (Python, pydantic; see ``interop.fhir`` on R4B and R4), and HL7's own
FHIR R4 JSON Schema run by Node (``tools/fhir-validator``, installed by ``make test``)."""

import json
import shutil
import subprocess
from pathlib import Path

from fhir.resources.R4B import get_fhir_model_class

VALIDATOR = Path(__file__).resolve().parents[2] / "tools" / "fhir-validator"


def model_errors(resources):
    errors = []
    for resource in resources:
        try:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        except Exception as error:
            errors.append(f"{resource['resourceType']}/{resource.get('id')}: {error}")
    return errors


def schema_errors(resources):
    node = shutil.which("node")
    assert node, "Node.js is needed for the FHIR JSON Schema check: apt-get install nodejs npm"
    assert (VALIDATOR / "node_modules").is_dir(), (
        "The FHIR JSON Schema validator is missing: npm ci --prefix tools/fhir-validator (make test does it)"
    )
    completed = subprocess.run(
        [node, str(VALIDATOR / "validate.js")],
        input=json.dumps(resources).encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr.decode()
    return json.loads(completed.stdout or b"[]")


def assert_valid_fhir(*resources):
    """Every resource (a Bundle counts with each of its entries) passes both checks."""
    everything = []
    for resource in resources:
        everything.append(resource)
        everything += [entry["resource"] for entry in resource.get("entry", []) if "resource" in entry]
    errors = model_errors(everything)
    assert not errors, "Invalid for the fhir.resources models:\n" + "\n".join(errors)
    problems = schema_errors(everything)
    assert not problems, "Invalid for the FHIR R4 JSON Schema:\n" + json.dumps(problems, indent=1)
