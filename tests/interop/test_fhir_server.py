"""The read-only FHIR server under /fhir/: what it says it supports, reads and
searches scoped to the caller's clinics, searchset Bundles with paging, $everything,
Glide's own code systems and extensions, errors as OperationOutcomes, and every
answer valid FHIR R4 by two independent validators."""

import base64
import datetime
import hashlib
import io
from unittest import mock

import pytest
import yaml
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from clinic.models import AuditEvent

from ..factories import ExerciseFactory, PatientFactory, PlanFactory, PlanItemFactory
from .validation import assert_valid_fhir
from .visits import plan_with_print, record_visit

pytestmark = pytest.mark.django_db

FHIR_JSON = "application/fhir+json"


def client_for(user, **options):
    client = APIClient(**options)
    client.force_authenticate(user)
    return client


def get(user, url, params=None):
    response = client_for(user).get(url, params or {})
    assert response["Content-Type"].startswith(FHIR_JSON), response.content
    return response


def ids(bundle):
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


@pytest.fixture
def record(therapist, patient):
    """A signed visit and a draft one, a plan from the signed one, and its printed handout."""
    signed = record_visit(therapist, patient, sign=True, days_ago=14)
    draft = record_visit(therapist, patient, days_ago=2)
    plan, printed = plan_with_print(therapist, patient, signed)
    return {"signed": signed, "draft": draft, "plan": plan, "printed": printed}


# --- What the server says it supports ------------------------------------------------


def test_the_capability_statement_names_every_type_parameter_and_operation_it_serves(client):
    response = client.get("/fhir/metadata")

    assert response.status_code == 200
    statement = response.json()
    assert_valid_fhir(statement)
    (rest,) = statement["rest"]
    by_type = {resource["type"]: resource for resource in rest["resource"]}
    assert set(by_type) >= {
        "Patient",
        "Observation",
        "Encounter",
        "CarePlan",
        "ServiceRequest",
        "DocumentReference",
        "Practitioner",
        "Organization",
        "CodeSystem",
        "StructureDefinition",
    }
    assert {param["name"] for param in by_type["Patient"]["searchParam"]} == {
        "identifier",
        "name",
        "birthdate",
        "_lastUpdated",
    }
    assert {param["name"] for param in by_type["Observation"]["searchParam"]} == {
        "patient",
        "date",
        "code",
        "category",
    }
    assert by_type["Patient"]["operation"][0]["name"] == "everything"
    assert all(
        {interaction["code"] for interaction in resource["interaction"]} == {"read", "search-type"}
        for resource in rest["resource"]
        if resource["type"] != "Binary"
    )
    assert by_type["Binary"]["interaction"] == [{"code": "read"}]
    assert "Token" in rest["security"]["description"]


def test_every_advertised_search_parameter_is_accepted(therapist, record, client):
    statement = client.get("/fhir/metadata").json()
    samples = {"reference": f"Patient/{record['signed'].patient_id}", "date": "ge2000-01-01", "token": "x"}
    samples.update({"string": "a", "uri": "https://example.org"})

    for resource in statement["rest"][0]["resource"]:
        for param in resource.get("searchParam", []):
            value = samples[param["type"]]
            if param["name"] in ("practitioner", "organization"):
                value = "00000000-0000-0000-0000-000000000000"
            response = get(therapist, f"/fhir/{resource['type']}", {param["name"]: value})
            assert response.status_code == 200, (resource["type"], param["name"], response.json())


# --- Reads ---------------------------------------------------------------------------


def test_every_resource_of_a_record_reads_back_at_its_own_address(therapist, patient, record):
    everything = get(therapist, f"/fhir/Patient/{patient.pk}/$everything").json()

    for entry in everything["entry"]:
        resource = entry["resource"]
        response = get(therapist, entry["fullUrl"])
        assert response.status_code == 200, entry["fullUrl"]
        assert response.json() == resource


def test_a_read_is_audited_naming_the_patient(therapist, patient, record):
    result = record["signed"].results.first()

    get(therapist, f"/fhir/Observation/{result.pk}")

    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.patient, event.object_type, event.object_id) == (
        AuditEvent.Action.VIEW,
        patient,
        "testresult",
        str(result.pk),
    )
    assert event.detail["resource_type"] == "Observation"


def test_another_clinics_resource_is_not_found_as_an_operation_outcome(outsider, patient, record):
    response = get(outsider, f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "not-found"


def test_an_anonymous_caller_is_refused_with_an_operation_outcome(patient):
    response = APIClient().get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 401
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert response.json()["issue"][0]["code"] == "login"


@pytest.mark.parametrize(
    "address",
    ["/fhir/", "/fhir/Medication/1", "/fhir/Patient/not-a-uuid", "/fhir/CodeSystem/no-such-system"],
)
def test_an_unknown_address_is_a_404_operation_outcome_never_html(therapist, address):
    response = get(therapist, address)

    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_write_is_refused_with_an_operation_outcome(therapist, patient):
    response = client_for(therapist).post(f"/fhir/Patient/{patient.pk}", {}, format="json")

    assert response.status_code == 405
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_database_outage_answers_503_with_an_operation_outcome(therapist, patient):
    with mock.patch("interop.resources.PatientType.get", side_effect=OperationalError("server closed")):
        response = client_for(therapist, raise_request_exception=False).get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["issue"][0]["code"] == "transient"


def test_a_failure_outside_the_views_still_answers_an_operation_outcome(therapist, patient, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.interop.failing.DatabaseDownMiddleware"]

    response = client_for(therapist, raise_request_exception=False).get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 503
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert response.json()["resourceType"] == "OperationOutcome"


# --- Searches -------------------------------------------------------------------------


def test_a_search_is_a_searchset_bundle_with_total_and_paging_links(therapist, clinic):
    for number in range(5):
        PatientFactory(clinic=clinic, family_name=f"Pagett{number}")

    first = get(therapist, "/fhir/Patient", {"name": "Pagett", "_count": 2}).json()
    last = get(therapist, "/fhir/Patient", {"name": "Pagett", "_count": 2, "_page": 3}).json()

    assert first["type"] == "searchset" and first["total"] == 5
    assert len(first["entry"]) == 2 and len(last["entry"]) == 1
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "first", "next", "last"}
    assert links["last"].endswith("_page=3") and "name=Pagett" in links["next"]
    second = client_for(therapist).get(links["next"]).json()
    assert set(ids(first)) | set(ids(second)) | set(ids(last)) == {
        str(pk)
        for pk in clinic.patients.filter(family_name__startswith="Pagett").values_list("pk", flat=True)
    }
    assert_valid_fhir(first, second, last)


def test_patients_are_found_by_identifier_name_birthdate_and_last_update(therapist, clinic):
    ada = PatientFactory(clinic=clinic, chart_number="A-1", given_name="Ada", family_name="Byron")
    ada.date_of_birth = datetime.date(1985, 3, 2)
    ada.save()
    mary = PatientFactory(clinic=clinic, chart_number="A-2", given_name="Mary", family_name="Shelley")
    mary.date_of_birth = datetime.date(1997, 8, 30)
    mary.save()
    system = f"https://glide.example.org/fhir/clinics/{clinic.slug}/chart-number"

    def found(**params):
        return ids(get(therapist, "/fhir/Patient", params).json())

    assert found(identifier=f"{system}|A-1") == [str(ada.pk)]
    assert found(identifier="A-1") == [str(ada.pk)]
    assert found(name="byr") == [str(ada.pk)]
    assert found(birthdate="1985-03") == [str(ada.pk)]
    assert found(birthdate="gt1985-03-02") == [str(mary.pk)]
    assert found(birthdate="le1985-03-02", name="Shel") == []
    assert str(ada.pk) in found(_lastUpdated=f"ge{timezone.localdate().isoformat()}")
    assert found(_lastUpdated="lt2000-01-01") == []


def test_observations_are_found_by_patient_code_date_and_category(therapist, patient, record):
    other = PatientFactory(clinic=patient.clinic)
    record_visit(therapist, other)
    results = [str(pk) for pk in record["signed"].results.values_list("pk", flat=True)]

    def found(**params):
        return get(therapist, "/fhir/Observation", {"patient": f"Patient/{patient.pk}", **params}).json()

    everything = found()
    assert everything["total"] == 10  # two visits: two tests and three findings each
    assert len(ids(found(code="https://glide.example.org/fhir/CodeSystem/neurodynamic-test|SLR"))) == 4
    assert len(ids(found(code="SLR.ankle-dorsiflexion"))) == 2
    signed_day = timezone.localtime(record["signed"].performed_at).date().isoformat()
    assert sorted(ids(found(code="SLR", date=signed_day))) == sorted(results)
    assert found(category="exam")["total"] == 10
    assert found(category="laboratory")["total"] == 0
    assert_valid_fhir(everything)


@pytest.mark.parametrize(
    ("resource_type", "params", "count"),
    [
        ("Encounter", {}, 2),
        ("Encounter", {"date": "lt2000"}, 0),
        ("CarePlan", {"category": "http://snomed.info/sct|229065009"}, 1),
        ("ServiceRequest", {"code": "active-hamstring-mobilization", "category": "229065009"}, 1),
        ("ServiceRequest", {"code": "median-nerve-slider"}, 0),
        ("DocumentReference", {"type": "home-exercise-handout"}, 1),
    ],
)
def test_the_other_clinical_types_are_searched_by_patient_and_their_own_parameters(
    therapist, patient, record, resource_type, params, count
):
    bundle = get(therapist, f"/fhir/{resource_type}", {"patient": str(patient.pk), **params}).json()

    assert bundle["total"] == count
    assert_valid_fhir(bundle)


def test_practitioners_and_organizations_are_those_of_the_callers_clinics(
    therapist, outsider, clinic, record
):
    practitioners = get(therapist, "/fhir/Practitioner").json()
    organizations = get(therapist, "/fhir/Organization").json()
    roles = get(therapist, "/fhir/PractitionerRole").json()

    assert str(therapist.pk) in ids(practitioners) and str(outsider.pk) not in ids(practitioners)
    assert ids(organizations) == [str(clinic.pk)]
    assert roles["entry"][0]["resource"]["code"][0]["coding"][0]["code"] == "36682004"
    assert_valid_fhir(practitioners, organizations, roles)


def test_a_search_never_shows_another_clinics_records(outsider, patient, record):
    for resource_type in (
        "Patient",
        "Encounter",
        "Observation",
        "CarePlan",
        "ServiceRequest",
        "DocumentReference",
    ):
        bundle = get(outsider, f"/fhir/{resource_type}", {}).json()
        assert bundle["total"] == 0, resource_type
    assert get(outsider, "/fhir/Observation", {"patient": str(patient.pk)}).json()["total"] == 0


def test_a_search_page_is_audited_with_the_ids_it_shows(therapist, patient, record):
    bundle = get(therapist, "/fhir/Encounter", {"patient": str(patient.pk)}).json()

    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == AuditEvent.Action.LIST
    assert event.patient == patient and event.detail["ids"] == ids(bundle)


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "blue"},
        {"birthdate": "yesterday"},
        {"birthdate": "2020-01-01T10:00:00+19:00"},
        {"_count": "many"},
        {"_count": "1000"},
        {"name": "Ad\x00a"},
    ],
)
def test_a_search_it_cannot_read_is_a_400_operation_outcome(therapist, params):
    response = get(therapist, "/fhir/Patient", params)

    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "invalid"


def test_a_reference_to_another_type_is_refused(therapist, patient):
    response = get(therapist, "/fhir/Encounter", {"patient": f"Practitioner/{patient.pk}"})

    assert response.status_code == 400


# --- $everything ------------------------------------------------------------------------


def test_everything_is_the_patients_whole_record_as_a_valid_searchset(therapist, patient, record):
    bundle = get(therapist, f"/fhir/Patient/{patient.pk}/$everything").json()

    assert bundle["type"] == "searchset" and bundle["total"] == len(bundle["entry"])
    types = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert types[0] == "Patient" and bundle["entry"][0]["search"]["mode"] == "match"
    assert {"Organization", "Practitioner", "PractitionerRole", "Encounter", "Observation"} <= set(types)
    assert {"CarePlan", "ServiceRequest", "DocumentReference"} <= set(types)
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    for entry in bundle["entry"]:
        for reference in references_in(entry["resource"]):
            assert f"http://testserver/fhir/{reference}" in full_urls, reference
    assert_valid_fhir(bundle)
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.patient, event.detail["format"]) == ("export", patient, "fhir-everything")


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


# --- Glide's own codes and extensions ------------------------------------------------------


def test_every_code_system_and_extension_used_is_served_at_its_canonical_url(therapist, patient, record):
    bundle = get(therapist, f"/fhir/Patient/{patient.pk}/$everything").json()
    base = "https://glide.example.org/fhir/"
    used = set()

    def collect(node):
        if isinstance(node, dict):
            is_coding = "system" in node and "code" in node
            is_extension = "url" in node and any(
                key.startswith("value") or key == "extension" for key in node
            )
            value = node["system"] if is_coding else node.get("url") if is_extension else None
            if isinstance(value, str) and value.startswith(base) and "/clinics/" not in value:
                used.add((value, node.get("code")))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(bundle)
    assert used
    for url, code in sorted(used, key=str):
        published = get(therapist, "/fhir/" + url.removeprefix(base)).json()
        assert published["url"] == url
        if code is not None and published["resourceType"] == "CodeSystem":
            assert code in {concept["code"] for concept in published["concept"]}, (url, code)
        assert_valid_fhir(published)


def test_code_systems_are_searched_by_canonical_url(client):
    url = "https://glide.example.org/fhir/CodeSystem/symptom-kind"

    bundle = client.get("/fhir/CodeSystem", {"url": url}).json()

    assert bundle["total"] == 1 and bundle["entry"][0]["resource"]["url"] == url
    assert_valid_fhir(bundle)


def test_a_clinics_own_exercise_codes_are_served_to_its_members_at_their_canonical_url(
    therapist, patient, clinic
):
    own = ExerciseFactory(clinic=clinic, slug="harbour-wrist-glide", name="Harbour wrist glide")
    PlanItemFactory(plan=PlanFactory(patient=patient, therapist=therapist), exercise=own)
    bundle = get(therapist, f"/fhir/Patient/{patient.pk}/$everything").json()
    request = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    )
    coding = request["code"]["coding"][0]

    published = get(therapist, coding["system"].removeprefix("https://glide.example.org")).json()

    assert coding["system"] == "https://glide.example.org/fhir/clinics/harbour/CodeSystem/exercise"
    assert published["url"] == coding["system"]
    assert [concept["code"] for concept in published["concept"]] == ["harbour-wrist-glide"]
    assert_valid_fhir(published)


def test_a_clinics_own_codes_are_not_found_by_anyone_else(outsider, clinic):
    ExerciseFactory(clinic=clinic, slug="harbour-wrist-glide")

    response = get(outsider, "/fhir/clinics/harbour/CodeSystem/exercise")

    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "harbour-wrist-glide" not in response.content.decode()


# --- The printed handout ------------------------------------------------------------------


def test_a_handouts_document_reference_returns_the_exact_pdf_that_was_printed(therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    printed = client_for(therapist).get(f"/api/v1/plans/{plan.pk}/handout.pdf")
    assert printed.status_code == 200
    pdf = b"".join(printed.streaming_content) if printed.streaming else printed.content
    plan.goals = "Changed after printing"
    plan.save()

    (entry,) = get(therapist, "/fhir/DocumentReference", {"patient": str(patient.pk)}).json()["entry"]
    document = entry["resource"]
    attachment = document["content"][0]["attachment"]
    fetched = client_for(therapist).get(attachment["url"])

    assert fetched["Content-Type"] == "application/pdf"
    assert fetched.content == pdf
    assert attachment["size"] == len(fetched.content)
    assert document["identifier"][0]["value"] == hashlib.sha256(fetched.content).hexdigest()
    assert len(PdfReader(io.BytesIO(fetched.content)).pages) >= 1


def test_the_kept_pdf_is_also_a_fhir_binary_and_its_read_is_audited(therapist, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    client_for(therapist).get(f"/api/v1/plans/{plan.pk}/handout.pdf")
    printed = plan.prints.get()

    binary = client_for(therapist).get(f"/fhir/Binary/{printed.pk}", HTTP_ACCEPT=FHIR_JSON).json()

    assert binary["contentType"] == "application/pdf"
    assert hashlib.sha256(base64.b64decode(binary["data"])).hexdigest() == printed.sha256
    assert_valid_fhir(binary)
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.patient, event.object_type) == ("view", patient, "handoutprint")


def test_another_clinics_handout_pdf_is_not_found(therapist, outsider, patient):
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    client_for(therapist).get(f"/api/v1/plans/{plan.pk}/handout.pdf")

    response = client_for(outsider).get(f"/fhir/Binary/{plan.prints.get().pk}")

    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_api_schema_describes_the_fhir_errors_404_included(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)

    fhir_operations = {
        path: operations["get"] for path, operations in schema["paths"].items() if path.startswith("/fhir/")
    }
    assert fhir_operations
    for path, operation in fhir_operations.items():
        if path != "/fhir/metadata":
            assert "404" in operation["responses"], path
    assert "404" in schema["paths"]["/api/v1/fhir/Patient"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/fhir/Patient"]["post"]["responses"]
