"""
Every kind of read and write leaves exactly one audit event; a refused request's
event survives the refusal; nobody can change or delete an event afterwards.

``CASES`` is the one list of every kind of request that reads or changes a patient's
record, the catalogue or a clinic, signs in or out, prints or exports, through the
API and through the pages. Each row performs one request and names the event it
must leave. A new route that reads or writes belongs in this list: a route that
leaves no event, or two, then fails here.

Reads that show no patient's data (the catalogue, the clinics list, the reading
preview of the assessment grid) leave no event and are not listed.
"""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Assessment, HandoutPrint, NeuroTest, Plan
from clinic.api import AuditedRefusalMixin
from clinic.audit import record
from clinic.models import AuditEvent, Patient, ProtectedRecordError
from interop.models import ExportJob
from outcomes import services as outcome_services
from outcomes.models import InstrumentWording, MeasureRequest, MeasureResponse
from portal.models import PatientLink, SessionLog

from ..api import api_client, plan_payload, slr_payload
from ..factories import (
    PASSWORD,
    WORDING_FILES,
    AlertFactory,
    AssessmentFactory,
    MembershipFactory,
    PatientLinkFactory,
    PlanFactory,
    PlanItemFactory,
    SessionLogFactory,
    StepFindingFactory,
    TestResultFactory,
    UserFactory,
    instrument,
    member,
    record_measure,
    standard_exercise,
    standard_test,
)

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
PATIENT = "patient"  # the patient's phone, through their link
IP = "203.0.113.5"
AGENT = "Completeness/1.0 (audit check)"
FROM_THE_CLIENT = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": AGENT}


class World:
    """A clinic with its people and records, made before the events are counted."""

    def __init__(self, clinic, patient, therapist, clinic_admin, viewer):
        self.clinic, self.patient = clinic, patient
        self.users = {"therapist": therapist, "admin": clinic_admin, "viewer": viewer}
        self.users["colleague"] = member(clinic, "therapist", username="colleague")
        self.draft = AssessmentFactory(patient=patient, therapist=therapist, complaint="Draft visit")
        StepFindingFactory(result=TestResultFactory(assessment=self.draft))
        self.signed = services.sign_assessment(
            AssessmentFactory(patient=patient, therapist=therapist, complaint="Signed visit"),
            signed_by=therapist,
        )
        self.plan = PlanFactory(patient=patient, therapist=therapist)
        PlanItemFactory(plan=self.plan)
        self.handout = HandoutPrint.objects.create(
            clinic=clinic, plan=self.plan, printed_by=therapist, paper_size="letter",
            sha256="0" * 64, size_bytes=9, pdf=b"%PDF-1.7\n",
        )  # fmt: skip

        self.link = PatientLinkFactory(plan=self.plan)
        self.session = SessionLogFactory(link=self.link, pain=9, date=clinic.today())
        self.alert = AlertFactory(session_log=self.session)
        self.measure = record_measure(patient, "nprs", {"pain": 5}, by=therapist, days_ago=2)
        self.measure_request, _ = outcome_services.request_measure(
            patient=patient, instrument=instrument("groc"), requested_by=therapist
        )

    def ids(self):
        """The records a request's path names: ``/api/v1/plans/{plan}/``."""
        names = (
            "clinic", "patient", "draft", "signed", "plan", "link", "alert", "session", "measure",
            "measure_request", "handout",
        )  # fmt: skip
        return {"secret": self.link.secret} | {name: getattr(self, name).pk for name in names}

    def client(self, kind, role):
        """An API client with a token, or a browser signed in (anonymous when
        ``role`` is None, the patient's phone past the year of birth for "patient"),
        sending the same address and browser name."""
        if role == PATIENT:
            phone = Client(**FROM_THE_CLIENT)
            phone.post(self.link.path, {"birth_year": "1985"})
            return phone
        user = self.users.get(role)
        if kind == "api":
            client = api_client(user) if user else APIClient()
            client.defaults.update(FROM_THE_CLIENT)
        else:
            client = Client(**FROM_THE_CLIENT)
            if user:
                client.force_login(user)
        return client


@dataclass(frozen=True)
class Request:
    kind: str  # "api" or "page"
    method: str
    path: str  # "{patient}" and the like stand for the world's records
    data: Any = None  # or a function of the world
    headers: dict = field(default_factory=dict)

    def send(self, client, world):
        data = self.data(world) if callable(self.data) else self.data
        options = dict(self.headers(world) if callable(self.headers) else self.headers)
        if self.kind == "api" and "content_type" not in options:
            options["format"] = "json"
        response = getattr(client, self.method)(self.path.format(**world.ids()), data, **options)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # read to the end, as a browser would
        return response


def api_get(path):
    return Request("api", "get", path)


def api_post(path, data=None, **headers):
    return Request("api", "post", path, data, headers)


def api_patch(path, data, version):
    return Request("api", "patch", path, data, {"HTTP_IF_MATCH": f'"{version}"'})


def api_delete(path):
    return Request("api", "delete", path)


def page_get(path):
    return Request("page", "get", path)


def page_post(path, data=None):
    return Request("page", "post", path, data)


# What an event names: (object type, object id), from the world after the request.


def the(name):
    return lambda world: (getattr(world, name)._meta.model_name, str(getattr(world, name).pk))


def newest(model, **lookup):
    def names(world):
        created = model.objects.filter(**lookup).order_by("-created_at").first()
        return (model._meta.model_name, str(created.pk))

    return names


def of_type(object_type):
    return lambda world: (object_type, "")


def of_export_job(world):
    return ("exportjob", EXPORT_JOB_ID)


def no_record(world):
    return ("", "")


SENDER = "the sender"


@dataclass(frozen=True)
class Case:
    description: str
    request: Request
    status: int
    action: str
    names: Callable[[World], tuple[str, str]]
    role: str | None = "therapist"  # who sends it; None: nobody signed in
    actor: str | None = SENDER  # whom the event names as the actor
    in_clinic: bool = True  # sign-ins and sign-outs belong to no clinic
    prepare: Callable[[World], Any] | None = None


NEW_PATIENT = {"chart_number": "C-9", "given_name": "Mary", "family_name": "Shelley", "sex": "female"}
PATIENT_FORM = {**NEW_PATIENT, "preferred_language": "en"}
FHIR_PATIENT = json.dumps(
    {
        "resourceType": "Patient",
        "identifier": [{"system": "https://emr.example.org/mrn", "value": "C-9"}],
        "name": [{"family": "Shelley", "given": ["Mary"]}],
        "gender": "female",
    }
)
OWN_TEST = {
    "code": "ULNT-OWN", "name": "Our median nerve screen", "nerve_bias": "Median nerve",
    "region": "upper", "measured_joint": "elbow extension",
    "steps": [{"code": "shoulder-abduction", "name": "Abduct the shoulder", "kind": "base"}],
}  # fmt: skip


def grid_form(version=None):
    """The assessment page's form with the left SLR filled in, saved as a draft."""
    return lambda world: {
        "performed_at": "2026-11-20T10:30",
        "complaint": "Pulling behind the left thigh",
        "tests": [str(standard_test("SLR").pk)],
        "action": "save",
        "SLR-left-range_at_onset_deg": "55",
        "SLR-left-differentiation": "increased",
        "SLR-left-hip-flexion-symptoms_reproduced": "partial",
        "SLR-right-differentiation": "not_tested",
        **({"version": version} if version else {}),
    }


def plan_form(version=None):
    """The plan builder's form with one exercise, saved."""
    return lambda world: {
        "goals": "Sit through a meeting",
        "start_date": "2026-11-24",
        "status": "active",
        "item-count": "1",
        "item-0-exercise": str(standard_exercise("active-hamstring-mobilization").pk),
        "item-0-sets": "1",
        "item-0-reps": "10",
        "item-0-hold_seconds": "0",
        "item-0-times_per_day": "2",
        "item-0-days_per_week": "7",
        "item-0-side": "both",
        "save": "1",
        **({"version": version} if version else {}),
    }


def sign_in(password):
    return {"username": "thera", "password": password}


def through_the_link(world):
    """The patient's app: the link's secret and the year of birth."""
    return {"HTTP_AUTHORIZATION": f"PatientLink {world.link.secret}", "HTTP_X_BIRTH_YEAR": "1985"}


def a_session(world):
    items = [{"exercise": str(item.pk), "done": "partly"} for item in world.plan.items.all()]
    return {"date": str(world.clinic.today()), "items": items, "pain": 2, "an_hour_later": "same"}


EXPORT_JOB_ID = "0e0a7c1e-5b1d-4c8e-9f3a-2d6b8e4f1a01"


def finished_export(world):
    job = ExportJob.objects.create(
        pk=EXPORT_JOB_ID,
        clinic=world.clinic,
        requested_by=world.users["admin"],
        kind=ExportJob.Kind.FHIR_CLINIC,
        state=ExportJob.State.COMPLETED,
        output=[{"type": "Patient", "name": "Patient.ndjson", "count": 1}],
    )
    job.storage().save(job.file_name("Patient.ndjson"), ContentFile(b'{"resourceType":"Patient"}\n'))


def finished_batch_print(world):
    job = ExportJob.objects.create(
        pk=EXPORT_JOB_ID,
        clinic=world.clinic,
        requested_by=world.users["therapist"],
        kind=ExportJob.Kind.HANDOUTS,
        state=ExportJob.State.COMPLETED,
        output=[{"type": "application/pdf", "name": "handouts.pdf", "count": 1}],
    )
    job.storage().save(job.file_name("handouts.pdf"), ContentFile(b"%PDF-1.7\n"))


def bulk_export(path):
    return Request("api", "get", path, headers={"HTTP_PREFER": "respond-async"})


A_PATIENT = "/api/v1/patients/{patient}/"
NPRS = {
    "instrument": "nprs",
    "taken_at": "2026-11-20T10:30:00Z",
    "answers": [{"link_id": "pain", "value": 4}],
}
NPRS_FORM = {"instrument": "nprs", "taken_at": "2026-11-20T10:30", "item-pain": "4"}
SCHEDULE_FORM = {"nprs-wanted": "on", "nprs-at_first_visit": "on", "nprs-every_weeks": "4"}


def odi_wording(world):
    return {"questionnaire": (WORDING_FILES / "odi-questionnaire.json").open("rb")}


FHIR_IMPORT = "/api/v1/fhir/Patient"
FHIR_JSON = "application/fhir+json"

CASES = [
    # --- Patients ------------------------------------------------------------------------
    Case("API: read a patient", api_get(A_PATIENT), 200, Action.VIEW, the("patient")),
    Case("API: list patients", api_get("/api/v1/patients/"), 200, Action.LIST, of_type("patient")),
    Case("API: list the patients changed since a moment", api_get("/api/v1/patients/changes/"), 200,
         Action.LIST, of_type("patient")),
    Case("page: the patient list", page_get("/"), 200, Action.LIST, of_type("patient")),
    Case("page: a patient's chart", page_get("/patients/{patient}/"), 200, Action.VIEW, the("patient")),
    Case("API: a patient's progress", api_get(A_PATIENT + "progress/"), 200, Action.VIEW, the("patient")),
    Case("API: add a patient", api_post("/api/v1/patients/", NEW_PATIENT), 201, Action.CREATE,
         newest(Patient)),
    Case("page: add a patient", page_post("/patients/new/", PATIENT_FORM), 302, Action.CREATE,
         newest(Patient)),
    Case("API: change a patient", api_patch(A_PATIENT, {"phone": "+1 555 0199"}, version=1), 200,
         Action.UPDATE, the("patient")),
    Case("page: open a patient's details", page_get("/patients/{patient}/edit/"), 200, Action.VIEW,
         the("patient")),
    Case("page: save a patient's details", page_post("/patients/{patient}/edit/", PATIENT_FORM), 302,
         Action.UPDATE, the("patient")),
    Case("API: archive a patient", api_delete(A_PATIENT), 204, Action.ARCHIVE, the("patient")),
    Case("page: archive a patient", page_post("/patients/{patient}/archive/"), 302, Action.ARCHIVE,
         the("patient")),
    Case("page: restore a patient", page_post("/patients/{patient}/restore/"), 302, Action.RESTORE,
         the("patient"), prepare=lambda world: world.patient.archive()),
    Case("API: import a FHIR Patient", api_post(FHIR_IMPORT, FHIR_PATIENT, content_type=FHIR_JSON), 201,
         Action.IMPORT, newest(Patient)),
    Case("API: export a patient as a FHIR Bundle", api_get(A_PATIENT + "fhir/"), 200, Action.EXPORT,
         the("patient")),
    Case("FHIR: read a Patient", api_get("/fhir/Patient/{patient}"), 200, Action.VIEW, the("patient")),
    Case("FHIR: search Patients", api_get("/fhir/Patient"), 200, Action.LIST, of_type("Patient")),
    Case("FHIR: read an Encounter", api_get("/fhir/Encounter/{signed}"), 200, Action.VIEW, the("signed")),
    Case("FHIR: search Observations", api_get("/fhir/Observation?patient={patient}"), 200, Action.LIST,
         of_type("Observation")),
    Case("FHIR: a printed handout's PDF", api_get("/fhir/Binary/{handout}"), 200, Action.VIEW,
         the("handout")),
    Case("FHIR: a patient's $everything", api_get("/fhir/Patient/{patient}/$everything"), 200,
         Action.EXPORT, the("patient")),
    # --- Assessments ---------------------------------------------------------------------
    Case("API: read an assessment", api_get("/api/v1/assessments/{signed}/"), 200, Action.VIEW,
         the("signed")),
    Case("API: list assessments", api_get("/api/v1/assessments/"), 200, Action.LIST,
         of_type("assessment")),
    Case("page: an assessment", page_get("/assessments/{signed}/"), 200, Action.VIEW, the("signed")),
    Case("page: open a draft", page_get("/assessments/{draft}/edit/"), 200, Action.VIEW, the("draft")),
    Case("API: record an assessment", api_post("/api/v1/assessments/", lambda w: slr_payload(w.patient)),
         201, Action.CREATE, newest(Assessment)),
    Case("page: record an assessment", page_post("/patients/{patient}/assessments/new/", grid_form()),
         302, Action.CREATE, newest(Assessment)),
    Case("API: change a draft", api_patch("/api/v1/assessments/{draft}/", {"notes": "Seen"}, version=1),
         200, Action.UPDATE, the("draft")),
    Case("page: save a draft", page_post("/assessments/{draft}/edit/", grid_form(version="1")), 302,
         Action.UPDATE, the("draft")),
    Case("API: sign a draft", api_post("/api/v1/assessments/{draft}/sign/"), 200, Action.SIGN,
         the("draft")),
    Case("page: sign a draft", page_post("/assessments/{draft}/sign/"), 302, Action.SIGN, the("draft")),
    Case("API: read a signed note's addenda", api_get("/api/v1/assessments/{signed}/addenda/"), 200,
         Action.VIEW, the("signed")),
    Case("API: add an addendum", api_post("/api/v1/assessments/{signed}/addenda/", {"text": "Easier."}),
         201, Action.ADDENDUM, the("signed")),
    Case("page: add an addendum", page_post("/assessments/{signed}/addenda/", {"text": "Easier."}), 302,
         Action.ADDENDUM, the("signed")),
    Case("API: discard a draft", api_delete("/api/v1/assessments/{draft}/"), 204, Action.DELETE,
         the("draft")),
    # --- Plans ---------------------------------------------------------------------------
    Case("API: read a plan", api_get("/api/v1/plans/{plan}/"), 200, Action.VIEW, the("plan")),
    Case("API: list plans", api_get("/api/v1/plans/"), 200, Action.LIST, of_type("plan")),
    Case("page: a plan", page_get("/plans/{plan}/"), 200, Action.VIEW, the("plan")),
    Case("page: open a plan in the builder", page_get("/plans/{plan}/edit/"), 200, Action.VIEW,
         the("plan")),
    Case("API: make a plan", api_post("/api/v1/plans/", lambda w: plan_payload(w.patient)), 201,
         Action.CREATE, newest(Plan)),
    Case("page: make a plan", page_post("/patients/{patient}/plans/new/", plan_form()), 302,
         Action.CREATE, newest(Plan)),
    Case("API: change a plan", api_patch("/api/v1/plans/{plan}/", {"goals": "Walk the dog"}, version=1),
         200, Action.UPDATE, the("plan")),
    Case("page: save a plan", page_post("/plans/{plan}/edit/", plan_form(version="1")), 302,
         Action.UPDATE, the("plan")),
    Case("API: print a plan's handout", api_get("/api/v1/plans/{plan}/handout.pdf"), 200, Action.PRINT,
         the("plan")),
    Case("page: print a plan's handout", page_get("/plans/{plan}/handout.pdf"), 200, Action.PRINT,
         the("plan")),
    # --- The patient's link -------------------------------------------------------------
    Case("API: a plan's patient links", api_get("/api/v1/plans/{plan}/links/"), 200, Action.VIEW,
         the("plan")),
    Case("API: make a patient link", api_post("/api/v1/plans/{plan}/links/", {}), 201, Action.CREATE,
         newest(PatientLink)),
    Case("API: revoke a patient link", api_post("/api/v1/plans/{plan}/links/{link}/revoke/"), 200,
         Action.UPDATE, the("link")),
    Case("API: a plan's adherence", api_get("/api/v1/plans/{plan}/adherence/"), 200, Action.VIEW,
         the("plan")),
    Case("page: make a patient link", page_post("/plans/{plan}/links/"), 302, Action.CREATE,
         newest(PatientLink)),
    Case("page: revoke a patient link", page_post("/plans/{plan}/links/{link}/revoke/"), 302,
         Action.UPDATE, the("link")),
    Case("page: the clinic's alerts", page_get("/alerts/"), 200, Action.LIST, of_type("alert")),
    Case("page: acknowledge an alert", page_post("/alerts/{alert}/acknowledge/"), 302, Action.UPDATE,
         the("alert")),
    Case("patient API: their plan", Request("api", "get", "/api/v1/portal/plan/", None, through_the_link),
         200, Action.VIEW, the("plan"), role=None, actor=None),
    Case("patient API: log a session",
         Request("api", "post", "/api/v1/portal/sessions/", a_session, through_the_link), 201,
         Action.CREATE, newest(SessionLog), role=None, actor=None),
    Case("patient API: change a session of today",
         Request("api", "put", "/api/v1/portal/sessions/{session}/", a_session, through_the_link), 200,
         Action.UPDATE, the("session"), role=None, actor=None),
    Case("patient API: the measures sent to them",
         Request("api", "get", "/api/v1/portal/measures/", None, through_the_link), 200, Action.VIEW,
         the("plan"), role=None, actor=None),
    Case("patient API: answer a measure",
         Request("api", "post", "/api/v1/portal/measures/{measure_request}/",
                 {"answers": [{"link_id": "change", "value": 2}]}, through_the_link),
         201, Action.CREATE, newest(MeasureResponse), role=None, actor=None),
    Case("patient page: the year of birth", page_post("/p/{secret}/", {"birth_year": "1985"}), 302,
         Action.LOGIN, the("plan"), role=None, actor=None),
    Case("patient page: their plan", page_get("/p/{secret}/"), 200, Action.VIEW, the("plan"),
         role=PATIENT, actor=None),
    Case("patient page: a measure the therapist sent", page_get("/p/{secret}/measures/{measure_request}/"),
         200, Action.VIEW, the("measure_request"), role=PATIENT, actor=None),
    Case("patient page: answer a measure",
         page_post("/p/{secret}/measures/{measure_request}/", {"item-change": "3"}), 302, Action.CREATE,
         newest(MeasureResponse), role=PATIENT, actor=None),
    # --- FHIR bulk export (the status of an export shows no patient's data) -------------
    Case("API: start a FHIR bulk export of the clinic", bulk_export("/fhir/$export"), 202, Action.EXPORT,
         newest(ExportJob), role="admin"),
    Case("API: start a FHIR bulk export of every patient", bulk_export("/fhir/Patient/$export"), 202,
         Action.EXPORT, newest(ExportJob), role="admin"),
    Case("API: read a bulk export's file", api_get(f"/fhir/bulk-files/{EXPORT_JOB_ID}/Patient.ndjson"),
         200, Action.EXPORT, of_export_job, role="admin", prepare=finished_export),
    Case("API: cancel a bulk export", api_delete(f"/fhir/bulk-status/{EXPORT_JOB_ID}"), 202,
         Action.DELETE, of_export_job, role="admin", prepare=finished_export),
    # --- Batch printing and exports in the web app (each handout printed leaves its own
    # print event, from the worker: tests/interop/test_export_pages.py) ----------------
    Case("page: start a batch print",
         page_post("/exports/", lambda w: {"kind": "handouts", "plans": [str(w.plan.pk)]}),
         302, Action.CREATE, newest(ExportJob)),
    Case("page: start a research export", page_post("/exports/", {"kind": "research-csv"}), 302,
         Action.CREATE, newest(ExportJob), role="admin"),
    Case("page: download a batch print", page_get(f"/exports/{EXPORT_JOB_ID}/download"), 200,
         Action.EXPORT, of_export_job, prepare=finished_batch_print),
    # --- Outcome measures ------------------------------------------------------------------
    Case("API: record a measure", api_post(A_PATIENT + "measures/", NPRS), 201, Action.CREATE,
         newest(MeasureResponse)),
    Case("API: a patient's measures", api_get(A_PATIENT + "measures/"), 200, Action.VIEW, the("patient")),
    Case("page: open a measure's form", page_get("/patients/{patient}/measures/new/?instrument=nprs"), 200,
         Action.VIEW, the("patient")),
    Case("page: record a measure", page_post("/patients/{patient}/measures/new/", NPRS_FORM), 302,
         Action.CREATE, newest(MeasureResponse)),
    Case("page: a measure's response", page_get("/measures/{measure}/"), 200, Action.VIEW, the("measure")),
    Case("page: send a measure to the patient", page_post("/patients/{patient}/measures/send/",
         {"instrument": "psfs"}), 302, Action.CREATE, newest(MeasureRequest)),
    Case("page: an admin saves the schedule of measures", page_post("/measures/", SCHEDULE_FORM), 302,
         Action.UPDATE, the("clinic"), role="admin"),
    Case("page: an admin loads an instrument's wording", page_post("/measures/odi/wording/", odi_wording),
         302, Action.IMPORT, newest(InstrumentWording), role="admin"),
    # --- The clinic and its catalogue ----------------------------------------------------
    Case("API: an admin adds a test to the catalogue", api_post("/api/v1/tests/", OWN_TEST), 201,
         Action.CREATE, newest(NeuroTest, code="ULNT-OWN"), role="admin"),
    Case("API: an admin changes the clinic's details",
         api_patch("/api/v1/clinics/{clinic}/", {"phone": "+1 555 0111"}, version=1), 200,
         Action.UPDATE, the("clinic"), role="admin"),
    # --- A patient's audit history -------------------------------------------------------
    Case("API: read a patient's audit history", api_get(A_PATIENT + "audit/"), 200, Action.VIEW,
         the("patient"), role="admin"),
    Case("API: export it as CSV", api_get("/api/v1/patients/{patient}/audit.csv"), 200, Action.EXPORT,
         the("patient"), role="admin"),
    Case("page: a patient's audit history", page_get("/patients/{patient}/audit/"), 200, Action.VIEW,
         the("patient"), role="admin"),
    Case("page: download it as CSV", page_get("/patients/{patient}/audit.csv"), 200, Action.EXPORT,
         the("patient"), role="admin"),
    # --- Signing in and out --------------------------------------------------------------
    Case("page: sign in", page_post("/accounts/login/", sign_in(PASSWORD)), 302, Action.LOGIN,
         no_record, role=None, actor="therapist", in_clinic=False),
    Case("page: a failed sign-in", page_post("/accounts/login/", sign_in("wrong")), 200,
         Action.LOGIN_FAILED, no_record, role=None, actor=None, in_clinic=False),
    Case("page: sign out", page_post("/accounts/logout/"), 302, Action.LOGOUT, no_record, in_clinic=False),
    Case("API: obtain a token", api_post("/api/v1/auth/token/", sign_in(PASSWORD)), 200, Action.LOGIN,
         no_record, role=None, actor="therapist", in_clinic=False),
    Case("API: a refused token request", api_post("/api/v1/auth/token/", sign_in("wrong")), 400,
         Action.LOGIN_FAILED, no_record, role=None, actor=None, in_clinic=False),
    Case("API: revoke a token", api_delete("/api/v1/auth/token/"), 204, Action.LOGOUT,
         no_record, in_clinic=False),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _exports_in_a_scratch_folder(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "exports": {**settings.STORAGES["exports"]}}
    settings.STORAGES["exports"]["OPTIONS"] = {"location": tmp_path / "exports"}


@pytest.fixture
def world(clinic, patient, therapist, clinic_admin, viewer):
    return World(clinic, patient, therapist, clinic_admin, viewer)


def last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_after(event_id):
    return list(AuditEvent.objects.filter(id__gt=event_id).order_by("id"))


@pytest.mark.parametrize("case", CASES, ids=[case.description for case in CASES])
def test_each_kind_of_request_leaves_exactly_one_event(case, world):
    if case.prepare:
        case.prepare(world)
    client = world.client(case.request.kind, case.role)
    before = last_event_id()

    response = case.request.send(client, world)

    assert response.status_code == case.status, response.content[:300] if not response.streaming else ""
    events = events_after(before)
    assert [event.action for event in events] == [case.action]
    event = events[0]
    actor = case.role if case.actor == SENDER else case.actor
    assert event.actor == (world.users[actor] if actor else None)
    assert event.clinic == (world.clinic if case.in_clinic else None)
    assert (event.object_type, event.object_id) == case.names(world)
    assert (event.ip_address, event.user_agent) == (IP, AGENT)


def test_the_table_covers_every_kind_of_event_a_request_leaves():
    recorded_by_requests = {case.action for case in CASES}
    only_elsewhere = {Action.LOCKOUT, Action.DENIED}  # tested below, on their own
    assert recorded_by_requests | only_elsewhere == set(Action.values)


# --- Lockout ----------------------------------------------------------------------------


def test_the_sign_in_that_locks_an_account_leaves_one_lockout_event(settings, therapist):
    settings.AXES_ENABLED = True
    client = Client(**FROM_THE_CLIENT)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "thera", "password": "wrong-password"})
    before = last_event_id()

    client.post(reverse("login"), {"username": "thera", "password": "wrong-password"})

    new_events = events_after(before)
    assert [(event.action, event.actor_username) for event in new_events] == [(Action.LOCKOUT, "thera")]
    assert (new_events[0].ip_address, new_events[0].user_agent) == (IP, AGENT)


def test_each_try_on_a_locked_account_leaves_one_lockout_event(settings, therapist):
    settings.AXES_ENABLED = True
    client = Client(**FROM_THE_CLIENT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "thera", "password": "wrong-password"})
    before = last_event_id()

    response = client.post(reverse("login"), {"username": "thera", "password": PASSWORD})

    assert response.status_code == 429
    assert [(event.action, event.actor) for event in events_after(before)] == [(Action.LOCKOUT, None)]


# --- Refused requests -------------------------------------------------------------------
# Without a test transaction around them, a rollback of the request would be real:
# the refusal's event must still be in the database afterwards.

survives_the_request = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSALS = [
    ("API: a viewer changes a patient", "viewer",
     api_patch(A_PATIENT, {"phone": "+1 555 0199"}, version=1), the("patient")),
    ("API: a viewer archives a patient", "viewer", api_delete(A_PATIENT), the("patient")),
    ("API: a viewer adds a patient", "viewer",
     api_post("/api/v1/patients/", NEW_PATIENT), of_type("patient")),
    ("API: a viewer records an assessment", "viewer",
     api_post("/api/v1/assessments/", lambda w: slr_payload(w.patient)), of_type("assessment")),
    ("API: a viewer changes a draft", "viewer",
     api_patch("/api/v1/assessments/{draft}/", {"notes": "Seen"}, version=1), the("draft")),
    ("API: a viewer signs a draft", "viewer", api_post("/api/v1/assessments/{draft}/sign/"), the("draft")),
    ("API: a therapist signs a colleague's draft", "colleague",
     api_post("/api/v1/assessments/{draft}/sign/"), the("draft")),
    ("API: a viewer adds an addendum", "viewer",
     api_post("/api/v1/assessments/{signed}/addenda/", {"text": "Easier."}), the("signed")),
    ("API: a viewer makes a plan", "viewer",
     api_post("/api/v1/plans/", lambda w: plan_payload(w.patient)), of_type("plan")),
    ("API: a viewer changes a plan", "viewer",
     api_patch("/api/v1/plans/{plan}/", {"goals": "Walk the dog"}, version=1), the("plan")),
    ("API: a therapist changes the clinic's details", "therapist",
     api_patch("/api/v1/clinics/{clinic}/", {"phone": "+1 555 0111"}, version=1), the("clinic")),
    ("API: a therapist adds a test to the catalogue", "therapist",
     api_post("/api/v1/tests/", OWN_TEST), of_type("neurotest")),
    ("page: a viewer saves a patient's details", "viewer",
     page_post("/patients/{patient}/edit/", PATIENT_FORM), the("patient")),
    ("page: a viewer adds a patient", "viewer",
     page_post("/patients/new/", PATIENT_FORM), of_type("patient")),
    ("page: a viewer signs a draft", "viewer", page_post("/assessments/{draft}/sign/"), the("draft")),
    ("page: a therapist opens a patient's audit history", "therapist",
     page_get("/patients/{patient}/audit/"), the("patient")),
    ("API: a therapist reads a patient's audit history", "therapist",
     api_get(A_PATIENT + "audit/"), the("patient")),
    ("API: a viewer imports a FHIR Patient", "viewer",
     api_post(FHIR_IMPORT, FHIR_PATIENT, content_type=FHIR_JSON), of_type("patient")),
]  # fmt: skip


@survives_the_request
@pytest.mark.parametrize(("description", "role", "request_", "names"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_request_leaves_one_denied_event_that_survives(world, description, role, request_, names):
    client = world.client(request_.kind, role)
    before = last_event_id()

    response = request_.send(client, world)

    assert response.status_code == 403
    events = events_after(before)
    assert [(event.action, event.status_code) for event in events] == [(Action.DENIED, 403)]
    event = events[0]
    assert (event.actor, event.clinic, event.ip_address, event.user_agent) == (
        world.users[role],
        world.clinic,
        IP,
        AGENT,
    )
    assert (event.object_type, event.object_id) == names(world)


def test_an_api_refusal_names_its_route_action_and_status(world):
    client = world.client("api", "viewer")
    before = last_event_id()

    api_patch(A_PATIENT, {"phone": "+1 555 0199"}, version=1).send(client, world)

    (event,) = events_after(before)
    assert (event.method, event.path, event.status_code) == (
        "PATCH",
        f"/api/v1/patients/{world.patient.pk}/",
        403,
    )
    assert event.detail == {"route": "api:patient-detail", "attempted": "partial_update"}


def test_a_new_record_for_a_patient_of_a_clinic_where_the_caller_only_reads_is_refused_naming_them(
    world, other_clinic
):
    # A therapist elsewhere passes the check on the request; the patient named in the
    # body is checked against the caller's role in the patient's own clinic.
    reader = member(world.clinic, "viewer", username="reads-here")
    MembershipFactory(user=reader, clinic=other_clinic, role="therapist")
    world.users["reader"] = reader
    before = last_event_id()

    response = api_post("/api/v1/assessments/", lambda w: slr_payload(w.patient)).send(
        world.client("api", "reader"), world
    )

    assert response.status_code == 403
    assert [(event.action, event.actor, event.clinic, event.patient) for event in events_after(before)] == [
        (Action.DENIED, reader, world.clinic, world.patient)
    ]


@pytest.mark.parametrize(
    "send",
    [
        lambda client, path: client.get(path, HTTP_ACCEPT="text/html"),
        lambda client, path: client.options(path),
    ],
    ids=["the browsable API shows a record", "OPTIONS describes a record"],
)
def test_trying_which_forms_a_viewer_may_use_is_not_a_refusal(world, send):
    # Both try the writing methods' permissions to choose the forms they offer.
    before = last_event_id()

    response = send(world.client("api", "viewer"), A_PATIENT.format(**world.ids()))

    assert response.status_code == 200
    assert Action.DENIED not in [event.action for event in events_after(before)]


def test_a_request_without_credentials_is_answered_401_and_names_nobody(world):
    before = last_event_id()

    response = api_patch(A_PATIENT, {"phone": "+1 555 0199"}, version=1).send(
        world.client("api", None), world
    )

    assert response.status_code == 401
    assert events_after(before) == []


def api_views(patterns=None):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from api_views(entry.url_patterns)
        elif (
            hasattr(entry.callback, "cls")
            and entry.callback.cls.__module__.split(".")[0] in GLIDE_APPS
            and entry.callback.cls.__qualname__ not in REFUSE_NOBODY
        ):
            yield entry.callback.cls


# API views that answer everyone alike, so they have no refusal to record.
REFUSE_NOBODY = {"SchemaView": "the OpenAPI description, served to anyone"}


GLIDE_APPS = ("clinic", "assessments", "interop", "outcomes", "portal")


def test_every_api_view_of_glide_records_its_refusals():
    views = set(api_views())

    assert views, "no API view found"
    assert [view.__qualname__ for view in views if not issubclass(view, AuditedRefusalMixin)] == []


STRANGERS = [
    ("API: read a patient", api_get(A_PATIENT)),
    ("API: a patient's audit history", api_get(A_PATIENT + "audit/")),
    ("FHIR: read a patient", api_get("/fhir/Patient/{patient}")),
    ("FHIR: a patient's $everything", api_get("/fhir/Patient/{patient}/$everything")),
    ("page: a patient's chart", page_get("/patients/{patient}/")),
    ("page: a patient's audit history", page_get("/patients/{patient}/audit/")),
    ("page: save a patient's details", page_post("/patients/{patient}/edit/", PATIENT_FORM)),
]


@pytest.mark.parametrize(("description", "request_"), STRANGERS, ids=[s[0] for s in STRANGERS])
def test_another_clinics_record_is_not_found_and_leaves_no_event(world, other_clinic, description, request_):
    # A 404 tells a stranger nothing, not even that the record exists; so does the
    # trail, which would otherwise file a trace under a clinic the stranger is not in.
    world.users["stranger"] = member(other_clinic, "admin")
    client = world.client(request_.kind, "stranger")
    before = last_event_id()

    response = request_.send(client, world)

    assert response.status_code == 404
    assert events_after(before) == []


# --- Nobody changes or deletes an event --------------------------------------------------


@pytest.fixture
def event(patient, therapist):
    return record(None, Action.VIEW, patient, actor=therapist)


def save_a_change(event):
    event.action = Action.UPDATE
    event.save()


def update_in_bulk(event):
    AuditEvent.objects.filter(pk=event.pk).update(action=Action.UPDATE)


def delete_in_bulk(event):
    AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "change", [save_a_change, AuditEvent.delete, update_in_bulk, delete_in_bulk], ids=lambda f: f.__name__
)
def test_the_orm_refuses_to_change_or_delete_an_event(event, change):
    with pytest.raises(ProtectedRecordError):
        change(event)
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def run_sql(sql, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_cannot_change_an_event(event):
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql("UPDATE clinic_auditevent SET action = 'update' WHERE id = %s", event.pk)
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


@pytest.mark.postgres
def test_raw_sql_cannot_delete_an_event_on_postgresql(event):
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql("DELETE FROM clinic_auditevent WHERE id = %s", event.pk)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_offers_no_way_to_add_change_or_delete_an_event(event, rf):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    request = rf.get("/admin/")
    request.user = superuser
    model_admin = admin_site._registry[AuditEvent]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


@pytest.mark.parametrize("view", ["add", "change", "delete"])
def test_the_admin_refuses_a_posted_addition_change_or_deletion(client, event, view):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:clinic_auditevent_{view}", args=[] if view == "add" else [event.pk])

    response = client.post(url, {"action": "update", "post": "yes"})

    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
@pytest.mark.parametrize("suffix", ["audit/", "audit.csv"])
def test_the_api_has_no_route_that_writes_an_event(clinic_admin, patient, event, method, suffix):
    url = f"/api/v1/patients/{patient.pk}/{suffix}"

    response = getattr(api_client(clinic_admin), method)(url, {"action": "update"}, format="json")

    assert response.status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


# --- Commands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "arguments"),
    [("export_csv", ["--output", "{dir}/results.csv"]), ("export_fhir", ["{dir}"])],
)
def test_a_bulk_export_from_the_command_line_leaves_one_event(world, command, arguments, tmp_path):
    before = last_event_id()

    call_command(
        command,
        "--clinic",
        world.clinic.slug,
        *(argument.format(dir=tmp_path) for argument in arguments),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    new_events = events_after(before)
    assert [(event.action, event.clinic, event.object_type) for event in new_events] == [
        (Action.EXPORT, world.clinic, "clinic")
    ]
    assert new_events[0].actor_username.endswith("manage.py)")
