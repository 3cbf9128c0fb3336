"""
Clinic isolation, checked from the URL configuration itself.

Every route Django serves is found by walking ``get_resolver()`` (nested includes,
the API router's routes with their ``@action`` routes and format-suffix variants) and
must be listed in ``ROUTES`` as one of three kinds:

- ``Record``: the address names one of a clinic's records. A member of another
  clinic, as admin, therapist and viewer, asks it with every method (GET, HEAD,
  POST, PUT, PATCH, DELETE) in every format it renders, with a plausible body, and
  gets 404 (405 only where the clinic's own members are told 405 too); the database
  is left as it was (only the stranger's own audit events may be added). The
  clinic's own admin is answered on the same addresses, so that each 404 is about
  the clinic, not a broken address.
- ``Listing``: the address lists, searches or creates. What it shows a member of
  another clinic names none of this clinic's records (no id, slug, code, chart
  number or name), even when the query or the body asks for them.
- ``NotClinicData``: the address holds no clinic's records, and says why.

A route missing from the table fails ``test_every_route_is_in_the_isolation_table``,
so a new page or endpoint cannot ship without its isolation being checked.
"""

import re
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admindocs.views import simplify_regex
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve

from assessments import services
from assessments.models import (
    Addendum,
    Assessment,
    Exercise,
    ExerciseMovement,
    HandoutPrint,
    NeuroTest,
    Plan,
    PlanItem,
    StepFinding,
    TestResult,
    TestStep,
)
from clinic.models import AuditEvent, Clinic, Membership, Patient
from interop.fhir import practitioner_role_id
from interop.models import ExportJob, PatientIdentifier
from outcomes.models import InstrumentWording, MeasureRequest, MeasureResponse, MeasureSchedule
from portal.models import Alert, PatientLink, SessionItem, SessionLog

from .api import api_client, error_attrs, plan_payload, slr_payload
from .factories import (
    AlertFactory,
    AssessmentFactory,
    ExerciseFactory,
    PatientFactory,
    PatientLinkFactory,
    PlanFactory,
    PlanItemFactory,
    SessionLogFactory,
    StepFindingFactory,
    TestResultFactory,
    instrument,
    load_wording,
    member,
    record_measure,
    standard_exercise,
    standard_test,
)

METHODS = ("get", "head", "post", "put", "patch", "delete")
ROLES = (Membership.Role.ADMIN, Membership.Role.THERAPIST, Membership.Role.VIEWER)
NOT_FOUND = {"type": "client_error", "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}]}


def is_not_found(url, body):
    """The API's one not-found body; under /fhir/, an OperationOutcome saying only that."""
    if url.startswith("/fhir/"):
        return body.get("resourceType") == "OperationOutcome" and [i["code"] for i in body["issue"]] == [
            "not-found"
        ]
    return body == NOT_FOUND


# --- What the routes are sent ---------------------------------------------------------


def patient_fields(records):
    patient = records["patient"]
    return {
        "chart_number": patient.chart_number,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": "1985-03-02",
        "sex": "female",
        "phone": "+1 555 0199",
        "email": "ottoline@example.org",
        "preferred_language": "en",
    }


def clinic_fields(records):
    clinic = records["clinic"]
    return {
        "name": clinic.name,
        "address": "1 Quay Street",
        "phone": "+1 555 0142",
        "email": "desk@example.org",
        "handout_paper_size": clinic.handout_paper_size,
    }


def neurotest_fields(records):
    test = records["own_test"]
    return {
        "code": test.code,
        "name": test.name,
        "nerve_bias": "Ulnar",
        "region": "upper",
        "measured_joint": "elbow flexion, degrees",
        "steps": [{"code": "start", "name": "Shoulder abducted", "kind": "base"}],
    }


def exercise_fields(records):
    exercise = records["exercise"]
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "kind": "slider",
        "nerve": "median",
        "region": "upper",
        "purpose": "Helps the nerve in your arm move freely.",
        "movements": [{"slug": "start", "title": "Start", "steps": ["Sit tall.", "Breathe out."]}],
    }


def assessment_fields(records):
    return slr_payload(records["patient"])


def assessment_form(records):
    return {
        "performed_at": "2026-11-20T10:30",
        "complaint": "Pulling behind the left thigh",
        "notes": "",
        "version": "1",
        "tests": [str(standard_test("SLR").pk)],
        "action": "save",
        "SLR-left-range_at_onset_deg": "55",
        "SLR-left-range_at_max_deg": "70",
        "SLR-left-differentiation": "increased",
        "SLR-left-hip-flexion-symptoms_reproduced": "partial",
        "SLR-left-hip-flexion-symptom_kinds": ["stretch"],
        "SLR-left-hip-flexion-location": "back of thigh",
        "SLR-left-hip-flexion-intensity": "3",
        "SLR-right-differentiation": "not_tested",
    }


def plan_fields(records):
    return plan_payload(records["patient"])


def plan_form(records):
    return {
        "goals": "Sit through a work meeting",
        "start_date": "2026-11-24",
        "review_date": "2026-12-08",
        "status": "active",
        "version": "1",
        "save": "1",
        "item-count": "1",
        "item-0-exercise": str(standard_exercise("active-hamstring-mobilization").pk),
        "item-0-sets": "1",
        "item-0-reps": "10",
        "item-0-hold_seconds": "0",
        "item-0-times_per_day": "2",
        "item-0-days_per_week": "7",
        "item-0-side": "both",
        "item-0-cues": "",
    }


def addendum_fields(records):
    return {"text": "Called the patient: the pulling is easing."}


def fhir_patient(records):
    patient = records["patient"]
    return {
        "resourceType": "Patient",
        "identifier": [{"value": patient.chart_number}],
        "name": [{"family": patient.family_name, "given": [patient.given_name]}],
    }


def measure_fields(records):
    return {
        "instrument": "nprs",
        "taken_at": "2026-11-20T10:30:00Z",
        "answers": [{"link_id": "pain", "value": 4}],
    }


def measure_form(records):
    return {"instrument": "nprs", "taken_at": "2026-11-20T10:30", "item-pain": "4"}


def measure_sent(records):
    return {"instrument": "nprs"}


def this_clinic_chosen(records):
    return {"clinic": str(records["clinic"].pk)}


# --- The table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """The address names a clinic's record: each keyword is filled from a fixture
    record, ``"patient"`` by its id, ``"own_test.code"`` by an attribute."""

    keywords: dict
    body: Callable | None = None

    def values(self, records):
        values = {}
        for keyword, source in self.keywords.items():
            name, _, attribute = source.partition(".")
            values[keyword] = getattr(records[name], attribute or "pk")
        return values


def record(body=None, **keywords):
    return Record(keywords, body)


@dataclass(frozen=True)
class Ask:
    """One request to a listing. ``query`` is formatted with the fixture records
    (``"?patient={patient.pk}"``); a page's answer is followed through redirects."""

    method: str = "get"
    query: str = ""
    body: Callable | None = None
    expect: tuple = (200,)


@dataclass(frozen=True)
class Listing:
    """The address lists, searches or creates; each of ``asks`` is sent by a member of
    another clinic."""

    asks: tuple = (Ask(),)


def listing(*asks):
    """A listing asked plainly, then with ``asks``."""
    return Listing((Ask(), *asks))


@dataclass(frozen=True)
class NotClinicData:
    reason: str
    keywords: tuple = ()  # keywords of the address that name no clinic record (a link's secret)


REFUSED = (400, 403)
LINK_ONLY = (
    "a patient link's own plan, whoever is signed in; tests/portal/test_isolation.py keeps links apart"
)

# Every route, by its address as the URL configuration spells it (ROUTE_PREFIXES
# below covers whole sites); an API route's format-suffix variants (".json", ".api",
# ".csv") are checked with it.
ROUTES = {
    # The clinician's pages
    "/": listing(Ask(query="?q={patient.family_name}"), Ask(query="?q={patient.chart_number}&archived=on")),
    "/clinic/switch/": Listing((Ask("post", body=this_clinic_chosen),)),
    "/patients/new/": Listing((Ask(expect=(200, 403)),)),
    "/patients/<uuid:pk>/": record(pk="patient"),
    "/patients/<uuid:pk>/edit/": record(patient_fields, pk="patient"),
    "/patients/<uuid:pk>/archive/": record(pk="patient"),
    "/patients/<uuid:pk>/restore/": record(pk="archived_patient"),
    "/patients/<uuid:pk>/audit/": record(pk="patient"),
    "/patients/<uuid:pk>/audit.csv": record(pk="patient"),
    "/patients/<uuid:patient_pk>/assessments/new/": record(assessment_form, patient_pk="patient"),
    "/patients/<uuid:patient_pk>/plans/new/": record(plan_form, patient_pk="patient"),
    "/assessments/<uuid:pk>/": record(pk="signed"),
    "/assessments/<uuid:pk>/edit/": record(assessment_form, pk="draft"),
    "/assessments/<uuid:pk>/sign/": record(pk="draft"),
    "/assessments/<uuid:pk>/addenda/": record(addendum_fields, pk="signed"),
    "/plans/<uuid:pk>/": record(pk="plan"),
    "/plans/<uuid:pk>/edit/": record(plan_form, pk="plan"),
    "/plans/<uuid:pk>/handout.pdf": record(pk="plan"),
    "/assessments/interpretation/": NotClinicData("reads the numbers in its query; no record"),
    "/patients/<uuid:pk>/measures/new/": record(measure_form, pk="patient"),
    "/patients/<uuid:pk>/measures/send/": record(measure_sent, pk="patient"),
    "/measures/<uuid:pk>/": record(pk="measure"),
    "/measures/": listing(),
    "/measures/<slug:code>/wording/": NotClinicData(
        "loads the caller's own clinic's wording of a shipped instrument", ("code",)
    ),
    "/accounts/login/": NotClinicData("signing in"),
    "/accounts/logout/": NotClinicData("signing out"),
    # The REST API
    "/api/v1/": NotClinicData("the API's root: links to its lists"),
    "/api/v1/auth/token/": NotClinicData("exchanges the caller's own password for a token"),
    "/api/v1/schema/": NotClinicData("the OpenAPI description of the API"),
    "/api/v1/docs/": NotClinicData("the interactive documentation of the API"),
    "/api/v1/clinics/": listing(),
    "/api/v1/clinics/<pk>/": record(clinic_fields, pk="clinic"),
    "/api/v1/patients/": listing(
        Ask(query="?search={patient.family_name}"),
        Ask(query="?chart_number={patient.chart_number}&include_archived=true"),
        Ask("post", "?clinic={clinic.slug}", patient_fields, REFUSED),
    ),
    "/api/v1/patients/changes/": listing(Ask(query="?updated_since=2000-01-01T00:00:00Z")),
    "/api/v1/patients/<pk>/": record(patient_fields, pk="patient"),
    "/api/v1/patients/<pk>/audit/": record(pk="patient"),
    "/api/v1/patients/<uuid:pk>/progress/": record(pk="patient"),
    "/api/v1/patients/<uuid:pk>/fhir/": record(pk="patient"),
    "/api/v1/patients/<uuid:pk>/measures/": record(measure_fields, pk="patient"),
    "/api/v1/instruments/": listing(Ask(query="?clinic={clinic.slug}", expect=(400,))),
    "/api/v1/instruments/<code>/": NotClinicData(
        "a shipped instrument, in the caller's own clinic's wording", ("code",)
    ),
    "/api/v1/fhir/Patient": Listing((Ask("post", "?clinic={clinic.slug}", fhir_patient, (404,)),)),
    "/api/v1/tests/": listing(
        Ask(query="?search={own_test.code}"),
        Ask("post", "?clinic={clinic.slug}", neurotest_fields, REFUSED),
    ),
    "/api/v1/tests/<code>/": record(neurotest_fields, code="own_test.code"),
    "/api/v1/exercises/": listing(
        Ask(query="?standard=false"),
        Ask(query="?search={exercise.slug}"),
        Ask("post", "?clinic={clinic.slug}", exercise_fields, REFUSED),
    ),
    "/api/v1/exercises/<slug>/": record(exercise_fields, slug="exercise.slug"),
    "/api/v1/assessments/": listing(
        Ask(query="?patient={patient.pk}"),
        Ask(query="?search={patient.chart_number}"),
        Ask("post", body=assessment_fields, expect=REFUSED),
    ),
    "/api/v1/assessments/changes/": listing(),
    "/api/v1/assessments/<pk>/": record(assessment_fields, pk="draft"),
    "/api/v1/assessments/<pk>/addenda/": record(addendum_fields, pk="signed"),
    "/api/v1/assessments/<pk>/sign/": record(pk="draft"),
    "/api/v1/plans/": listing(
        Ask(query="?patient={patient.pk}"),
        Ask("post", body=plan_fields, expect=REFUSED),
    ),
    "/api/v1/plans/changes/": listing(),
    "/api/v1/plans/<pk>/": record(plan_fields, pk="plan"),
    "/api/v1/plans/<uuid:pk>/handout.pdf": record(pk="plan"),
    # The FHIR server
    "/fhir/metadata": NotClinicData("the server's CapabilityStatement"),
    "/fhir/Patient/<uuid:pk>/$everything": record(pk="patient"),
    "/fhir/Patient/<uuid:pk>": record(pk="patient"),
    "/fhir/Patient": listing(
        Ask(query="?name={patient.family_name}"),
        Ask(query="?identifier={patient.chart_number}"),
        Ask(query="?identifier=https://emr.example.org/mrn|HB-4417"),
    ),
    "/fhir/Encounter/<uuid:pk>": record(pk="signed"),
    "/fhir/Encounter": listing(Ask(query="?patient={patient.pk}")),
    "/fhir/Observation/<uuid:pk>": record(pk="result"),
    "/fhir/Observation": listing(Ask(query="?patient={patient.pk}"), Ask(query="?code={own_test.code}")),
    "/fhir/CarePlan/<uuid:pk>": record(pk="plan"),
    "/fhir/CarePlan": listing(Ask(query="?patient=Patient/{patient.pk}")),
    "/fhir/ServiceRequest/<uuid:pk>": record(pk="plan_item"),
    "/fhir/ServiceRequest": listing(Ask(query="?patient={patient.pk}"), Ask(query="?code={exercise.slug}")),
    "/fhir/DocumentReference/<uuid:pk>": record(pk="handout_print"),
    "/fhir/Binary/<uuid:pk>": record(pk="handout_print"),
    "/fhir/DocumentReference": listing(Ask(query="?patient={patient.pk}")),
    "/fhir/Organization/<uuid:pk>": record(pk="clinic"),
    "/fhir/clinics/<slug:clinic>/CodeSystem/<slug:name>": record(clinic="clinic.slug", name="code_system"),
    "/fhir/Organization": listing(Ask(query="?name={clinic.name}")),
    "/fhir/Practitioner/<uuid:pk>": record(pk="admin"),
    "/fhir/Practitioner": listing(),
    "/fhir/PractitionerRole/<uuid:pk>": record(pk="role"),
    "/fhir/PractitionerRole": listing(Ask(query="?organization={clinic.pk}")),
    # The patient's link: the clinic's side
    "/api/v1/plans/<uuid:plan_pk>/links/": record(plan_pk="plan"),
    "/api/v1/plans/<uuid:plan_pk>/links/<uuid:pk>/revoke/": record(plan_pk="plan", pk="link"),
    "/api/v1/plans/<uuid:plan_pk>/adherence/": record(plan_pk="plan"),
    "/plans/<uuid:pk>/links/": record(pk="plan"),
    "/plans/<uuid:plan_pk>/links/<uuid:pk>/revoke/": record(plan_pk="plan", pk="link"),
    "/alerts/": listing(),
    "/alerts/<uuid:pk>/acknowledge/": record(pk="alert"),
    # The patient's link: the patient's side, opened by the link's secret and the year of
    # birth, never by a member's session or token
    "/api/v1/portal/plan/": NotClinicData(LINK_ONLY),
    "/api/v1/portal/sessions/": NotClinicData(LINK_ONLY),
    "/api/v1/portal/sessions/<uuid:pk>/": NotClinicData(LINK_ONLY, ("pk",)),
    "/api/v1/portal/measures/": NotClinicData(LINK_ONLY),
    "/api/v1/portal/measures/<uuid:pk>/": NotClinicData(LINK_ONLY, ("pk",)),
    "/p/<str:secret>/": NotClinicData(LINK_ONLY, ("secret",)),
    "/p/<str:secret>/sessions/": NotClinicData(LINK_ONLY, ("secret",)),
    "/p/<str:secret>/sessions/<uuid:pk>/": NotClinicData(LINK_ONLY, ("secret", "pk")),
    "/p/<str:secret>/measures/<uuid:pk>/": NotClinicData(LINK_ONLY, ("secret", "pk")),
    # FHIR Bulk Data export: a stranger's kick-off without ?clinic= is about their own
    # clinic (400 without Prefer: respond-async, 403 for a non-admin).
    "/fhir/Patient/$export": Listing(
        (Ask(expect=(400, 403)), Ask(query="?clinic={clinic.slug}", expect=(404,)))
    ),
    "/fhir/$export": Listing((Ask(expect=(400, 403)), Ask(query="?clinic={clinic.slug}", expect=(404,)))),
    "/fhir/bulk-status/<uuid:pk>": record(pk="export_job"),
    "/fhir/bulk-files/<uuid:pk>/<str:name>": record(pk="export_job", name="export_file"),
    # Exports and batch printing in the web app
    "/exports/": listing(
        Ask(
            "post",
            body=lambda records: {"kind": "handouts", "plans": [str(records["plan"].pk)]},
            expect=REFUSED,
        )
    ),
    "/exports/<uuid:pk>/": record(pk="batch_job"),
    "/exports/<uuid:pk>/download": record(pk="batch_job"),
}

# Every route under these addresses.
ROUTE_PREFIXES = {
    "/admin/": NotClinicData("the admin site, for Glide's operators (superusers), not clinic members"),
    "/fhir/CodeSystem": NotClinicData("Glide's own code systems, the same for every clinic"),
    "/fhir/StructureDefinition": NotClinicData("Glide's own extensions, the same for every clinic"),
}


# --- The routes of the URL configuration ------------------------------------------------

FORMAT_SUFFIX = re.compile(r"\.?<(?:drf_format_suffix:)?format>")
KEYWORD = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    address: str  # e.g. "/api/v1/patients/<pk>.<format>/"
    name: str | None
    view: Callable = field(compare=False)

    @property
    def key(self):
        """The address as ``ROUTES`` spells it, without a format suffix."""
        return FORMAT_SUFFIX.sub("", self.address)

    @property
    def keywords(self):
        return {match[2] for match in KEYWORD.finditer(self.key)}

    @property
    def is_api(self):
        return self.address.startswith(("/api/", "/fhir/"))

    def urls(self, values):
        """The route's addresses filled with ``values``, one per format it renders."""
        formats = renderer_formats(self.view) if FORMAT_SUFFIX.search(self.address) else [None]
        urls = [filled(self.address, {**values, "format": format_name}) for format_name in formats]
        for url in urls:
            assert resolve(url).func is self.view, f"{url} does not reach {self.address}"
        return urls

    def describe(self):
        view = getattr(self.view, "cls", self.view)
        return f"{self.address} (name {self.name!r}, view {view.__module__}.{view.__qualname__})"


def filled(address, values):
    def value(match):
        text = str(values[match[2]])
        return f".{text}" if match[1] == "drf_format_suffix" else text

    return KEYWORD.sub(value, address)


def renderer_formats(view):
    renderers = getattr(view, "initkwargs", {}).get("renderer_classes") or view.cls.renderer_classes
    return [renderer.format for renderer in renderers]


def url_routes(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, (namespace, entry.namespace)))
            yield from url_routes(entry.url_patterns, route, inner)
        else:
            name = entry.name and ":".join(filter(None, (namespace, entry.name)))
            # A "$" before a name is part of the address (FHIR's $everything), not an anchor.
            address = simplify_regex(re.sub(r"\$(?=\w)", "%24", route)).replace("%24", "$")
            yield Route(address.replace("\\.", "."), name, entry.callback)


def entry_for(route):
    if route.key in ROUTES:
        return ROUTES[route.key]
    return next((entry for prefix, entry in ROUTE_PREFIXES.items() if route.key.startswith(prefix)), None)


def routes_of(kind):
    return [(route, entry) for route in url_routes() if isinstance(entry := entry_for(route), kind)]


# --- Requests ----------------------------------------------------------------------------


def signed_in(user):
    """A client that sends the user's token to the API and their session to the pages."""
    client = api_client(user)
    client.force_login(user)
    return client


def send(client, method, url, body, records, *, api, follow=False):
    data = body(records) if body and method not in ("get", "head") else None
    if api:
        return getattr(client, method)(url, data, format="json", HTTP_IF_MATCH='"1"')
    return getattr(client, method)(url, data, follow=follow)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def marks_shown(response, marks, sent):
    """The marks in the response, apart from those the request itself carried (an
    address or a search echoed back tells the caller nothing new)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    return [mark for mark in marks if mark in text and mark not in sent]


# --- What must not change -----------------------------------------------------------

# Each kind of a clinic's records, and how a row of it is known to be the clinic's.
CLINIC_RECORDS = (
    (Clinic, "pk"),
    (Membership, "clinic"),
    (Patient, "clinic"),
    (Assessment, "clinic"),
    (TestResult, "assessment__clinic"),
    (StepFinding, "result__assessment__clinic"),
    (Addendum, "assessment__clinic"),
    (Plan, "clinic"),
    (PlanItem, "plan__clinic"),
    (NeuroTest, "clinic"),
    (TestStep, "test__clinic"),
    (Exercise, "clinic"),
    (ExerciseMovement, "exercise__clinic"),
    (HandoutPrint, "clinic"),
    (PatientIdentifier, "clinic"),
    (PatientLink, "clinic"),
    (SessionLog, "clinic"),
    (SessionItem, "log__clinic"),
    (Alert, "clinic"),
    (ExportJob, "clinic"),
    (MeasureResponse, "clinic"),
    (InstrumentWording, "clinic"),
    (MeasureSchedule, "clinic"),
    (MeasureRequest, "clinic"),
)


def database_state(clinic):
    """The row count of every table (audit events apart: a refusal may be recorded),
    and every column of every row of the clinic's own records."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model is not AuditEvent
    }
    rows = {
        model._meta.label: list(model._base_manager.filter(**{lookup: clinic.pk}).order_by("pk").values())
        for model, lookup in CLINIC_RECORDS
    }
    return {"counts": counts, "rows": rows}


def changes_between(before, after):
    return sorted(
        f"{part}: {label}"
        for part in ("counts", "rows")
        for label in before[part]
        if before[part][label] != after[part][label]
    )


def last_audit_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def foreign_audit_events(since, stranger, records):
    """Events written since ``since`` that are not the stranger's own, or that name
    this clinic or one of its patients (which only a found record would)."""
    clinic = records["clinic"]
    return [
        (event.actor_username, event.action, event.path)
        for event in AuditEvent.objects.filter(id__gt=since).select_related("patient")
        if event.actor_id != stranger.pk
        or event.clinic_id == clinic.pk
        or (event.patient is not None and event.patient.clinic_id == clinic.pk)
    ]


def this_clinics_marks(records):
    """What would show that a response holds this clinic's records: every record's
    id, and the slugs, codes, chart numbers and names they are known by."""
    clinic = records["clinic"]
    ids = [
        pk
        for model, lookup in CLINIC_RECORDS
        for pk in model.objects.filter(**{lookup: clinic.pk}).values_list("pk", flat=True)
    ]
    names = [clinic.name, clinic.slug, records["own_test"].code, records["own_test"].name]
    names += [records["exercise"].slug, records["exercise"].name]
    names += [records["link"].secret, records["alert"].session_log.note]
    for patient in (records["patient"], records["archived_patient"]):
        names += [patient.chart_number, patient.given_name, patient.family_name]
    return [str(pk) for pk in ids if isinstance(pk, uuid.UUID)] + names


# --- The records ---------------------------------------------------------------------------


def completed_export(clinic, clinic_admin, kind=ExportJob.Kind.FHIR_CLINIC, entry=None):
    entry = entry or {"type": "Patient", "name": "Patient.ndjson", "count": 1}
    job = ExportJob.objects.create(
        clinic=clinic, requested_by=clinic_admin, kind=kind, state=ExportJob.State.COMPLETED, output=[entry]
    )
    job.storage().save(job.file_name(entry["name"]), ContentFile(b'{"resourceType":"Patient"}\n'))
    return job


@pytest.fixture
def records(clinic, other_clinic, therapist, clinic_admin, settings, tmp_path):
    """This clinic's records of every kind a route names, and a few of the other
    clinic's own, so that its lists are not empty."""
    patient = PatientFactory(
        clinic=clinic, given_name="Ottoline", family_name="Quennell", chart_number="HB-4417"
    )
    archived_patient = PatientFactory(
        clinic=clinic, given_name="Bathsheba", family_name="Everdene", chart_number="HB-4418"
    )
    archived_patient.archive()
    own_test = NeuroTest.objects.create(
        clinic=clinic,
        code="HARBOUR-ULNT",
        name="Harbour ulnar variant",
        nerve_bias="Ulnar",
        region="upper",
        measured_joint="elbow flexion, degrees",
    )
    own_step = TestStep.objects.create(
        test=own_test, order=1, code="start", name="Shoulder abducted", kind="base"
    )
    exercise = ExerciseFactory(clinic=clinic, slug="harbour-glide", name="Harbour glide")

    draft = AssessmentFactory(patient=patient, therapist=therapist, complaint="Pulling behind the thigh")
    StepFindingFactory(result=TestResultFactory(assessment=draft, side="left"))
    StepFindingFactory(result=TestResultFactory(assessment=draft, test=own_test, side="right"), step=own_step)

    signed = AssessmentFactory(patient=patient, therapist=therapist, complaint="Earlier visit")
    StepFindingFactory(result=TestResultFactory(assessment=signed, side="left"))
    signed = services.sign_assessment(signed, signed_by=therapist)
    services.add_addendum(signed, author=therapist, text="Symptoms eased by the evening.")

    plan = PlanFactory(patient=patient, therapist=therapist, assessment=signed)
    plan_item = PlanItemFactory(plan=plan)
    handout_print = HandoutPrint.objects.create(
        clinic=clinic,
        plan=plan,
        printed_by=therapist,
        paper_size="letter",
        sha256="0" * 64,
        size_bytes=9,
        pdf=b"%PDF-1.7\n",
    )
    PatientIdentifier.objects.create(
        clinic=clinic, patient=patient, system="https://emr.example.org/mrn", value="HB-4417"
    )
    link = PatientLinkFactory(plan=plan)
    alert = AlertFactory(session_log=SessionLogFactory(link=link, pain=9, note="Sore after the glides"))

    load_wording(clinic, "odi", clinic_admin)
    MeasureSchedule.objects.create(clinic=clinic, instrument=instrument("odi"), every_weeks=4)
    measure = record_measure(patient, "nprs", {"pain": 6}, by=therapist, days_ago=3)
    MeasureRequest.objects.create(
        clinic=clinic, patient=patient, instrument=instrument("psfs"), requested_by=therapist
    )

    their_therapist = member(other_clinic, Membership.Role.THERAPIST, username="hillside-therapist")
    their_patient = PatientFactory(clinic=other_clinic, family_name="Hillsider", chart_number="HS-1")
    AssessmentFactory(patient=their_patient, therapist=their_therapist)
    PlanItemFactory(plan=PlanFactory(patient=their_patient, therapist=their_therapist))
    ExerciseFactory(clinic=other_clinic, slug="hillside-glide")

    settings.STORAGES = {**settings.STORAGES, "exports": {**settings.STORAGES["exports"]}}
    settings.STORAGES["exports"]["OPTIONS"] = {"location": tmp_path / "exports"}
    export_job = completed_export(clinic, clinic_admin)
    batch_job = completed_export(
        clinic,
        clinic_admin,
        ExportJob.Kind.HANDOUTS,
        {"type": "application/pdf", "name": "handouts.pdf", "count": 1},
    )

    return {
        "clinic": clinic,
        "admin": clinic_admin,
        "patient": patient,
        "archived_patient": archived_patient,
        "own_test": own_test,
        "exercise": exercise,
        "draft": draft,
        "signed": signed,
        "plan": plan,
        "result": signed.results.first(),
        "plan_item": plan_item,
        "handout_print": handout_print,
        "role": SimpleNamespace(pk=practitioner_role_id(clinic.pk, clinic_admin.pk)),
        "link": link,
        "alert": alert,
        "export_job": export_job,
        "batch_job": batch_job,
        "export_file": SimpleNamespace(pk="Patient.ndjson"),
        "code_system": SimpleNamespace(pk="exercise"),
        "measure": measure,
    }


# --- The table stays true -------------------------------------------------------------------


def test_every_route_is_in_the_isolation_table():
    missing = [route.describe() for route in url_routes() if entry_for(route) is None]
    assert not missing, (
        "Routes missing from ROUTES in tests/test_isolation.py; add each as record(...) if its "
        "address names a clinic's record, listing(...) if it lists, searches or creates, or "
        "NotClinicData(reason):\n  " + "\n  ".join(missing)
    )


def test_every_entry_of_the_isolation_table_is_a_route():
    keys = {route.key for route in url_routes()}
    stale = [key for key in ROUTES if key not in keys]
    stale += [prefix for prefix in ROUTE_PREFIXES if not any(key.startswith(prefix) for key in keys)]
    assert not stale, f"No longer routes; remove them from ROUTES in tests/test_isolation.py: {stale}"


def test_a_route_whose_address_names_a_record_is_a_record_filling_each_keyword():
    misfiled = []
    for route in url_routes():
        entry = ROUTES.get(route.key)
        filled = set(entry.keywords) if isinstance(entry, Record | NotClinicData) else set()
        if entry is not None and route.keywords != filled:
            misfiled.append(f"{route.describe()}: keywords {sorted(route.keywords)}, filled {sorted(filled)}")
    assert not misfiled, "\n".join(misfiled)


# --- The matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_another_clinics_member_finds_none_of_this_clinics_records(records, other_clinic, role):
    """Every method, every format: 404. A 405 is accepted only where the clinic's own
    admin is told 405 too (asked in a transaction that is rolled back)."""
    stranger = member(other_clinic, role, username=f"stranger-{role}")
    client, own = signed_in(stranger), signed_in(records["admin"])
    marks = this_clinics_marks(records)
    baseline, since = database_state(records["clinic"]), last_audit_event_id()

    leaks = []
    for route, entry in routes_of(Record):
        for url in route.urls(entry.values(records)):
            sent = url + str(entry.body(records) if entry.body else "")
            for method in METHODS:
                request = f"{method.upper()} {url}"
                response = send(client, method, url, entry.body, records, api=route.is_api)
                if response.status_code == 405:
                    with rolled_back():
                        own_status = send(own, method, url, entry.body, records, api=route.is_api).status_code
                    if own_status != 405:
                        leaks.append(f"{request}: 405, but {own_status} for the clinic's own admin")
                elif response.status_code != 404:
                    leaks.append(f"{request}: {response.status_code}, expected 404")
                elif (
                    method != "head"
                    and "json" in response.get("Content-Type", "")
                    and not is_not_found(url, response.json())
                ):
                    leaks.append(f"{request}: answered {response.json()}")
                leaks += [f"{request}: shows {mark}" for mark in marks_shown(response, marks, sent)]
            state = database_state(records["clinic"])
            if state != baseline:
                leaks.append(f"{url}: changed {changes_between(baseline, state)}")
                baseline = state
    leaks += [f"not the stranger's own: {event}" for event in foreign_audit_events(since, stranger, records)]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("role", ROLES)
def test_another_clinics_member_lists_none_of_this_clinics_records(records, other_clinic, role):
    stranger = member(other_clinic, role, username=f"stranger-{role}")
    client = signed_in(stranger)
    marks = this_clinics_marks(records)
    baseline, since = database_state(records["clinic"]), last_audit_event_id()

    leaks = []
    for route, entry in routes_of(Listing):
        for url in route.urls({}):
            for ask in entry.asks:
                address = url + ask.query.format(**records)
                request = f"{ask.method.upper()} {address}"
                response = send(client, ask.method, address, ask.body, records, api=route.is_api, follow=True)
                if response.status_code not in ask.expect:
                    leaks.append(f"{request}: {response.status_code}, expected one of {ask.expect}")
                sent = address + str(ask.body(records) if ask.body else "")
                leaks += [f"{request}: shows {mark}" for mark in marks_shown(response, marks, sent)]
                state = database_state(records["clinic"])
                if state != baseline:
                    leaks.append(f"{request}: changed {changes_between(baseline, state)}")
                    baseline = state
    leaks += [f"not the stranger's own: {event}" for event in foreign_audit_events(since, stranger, records)]
    assert not leaks, "\n".join(leaks)


def test_this_clinics_admin_is_answered_on_every_record_route(records):
    """The other side of the matrix: the same addresses reach the records for their
    own clinic (the first method each answers, rolled back), so each 404 above is
    about the clinic."""
    own = signed_in(records["admin"])
    failures = []
    for route, entry in routes_of(Record):
        for url in route.urls(entry.values(records)):
            for method in METHODS:
                with rolled_back():
                    response = send(own, method, url, entry.body, records, api=route.is_api)
                if response.status_code != 405:
                    break
            expected = "200" if method == "get" else "a success or a redirect"
            if response.status_code != 200 if method == "get" else response.status_code >= 400:
                failures.append(f"{method.upper()} {url}: {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


# --- Beyond the addresses ----------------------------------------------------------------------


def test_another_clinics_member_cannot_record_for_this_clinics_patient(records, other_clinic):
    stranger = api_client(member(other_clinic, Membership.Role.THERAPIST, username="stranger"))
    before = database_state(records["clinic"])

    assessment = stranger.post("/api/v1/assessments/", slr_payload(records["patient"]), format="json")
    plan = stranger.post("/api/v1/plans/", plan_payload(records["patient"]), format="json")

    assert (assessment.status_code, plan.status_code) == (400, 400)
    assert error_attrs(assessment) == error_attrs(plan) == {"patient"}
    assert database_state(records["clinic"]) == before


def test_the_admin_site_turns_clinic_members_away(records, client):
    client.force_login(records["admin"])

    response = client.get(f"/admin/clinic/patient/{records['patient'].pk}/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
