"""
Every page and every list costs the same number of queries whether it shows one row
or fifty: related rows come in a fixed number of queries, never in one query per row.

``CASES`` is the whole coverage, one entry per page or list: the URL name, what
grows, and how the answer's rows are counted. A new page takes one line, e.g.
``page("plan-detail", plan_items, html_count(r"<tr><td>"))``.

``NOT_LISTS`` (and ``NOT_LIST_PATTERNS`` for the Django admin's families of routes)
name every other route with the reason it has no rows that grow, so that a new page
or list without a case fails ``test_every_page_and_list_has_a_query_count_case``.
"""

import datetime
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import (
    Assessment,
    Exercise,
    ExerciseMovement,
    HandoutPrint,
    NeuroTest,
    Plan,
    TestResult,
    TestStep,
)
from assessments.pages import MAX_PLAN_ITEMS
from clinic.models import AuditEvent, Clinic, Membership, Patient, User
from interop.models import ExportJob
from outcomes.models import MeasureResponse, MeasureSchedule
from portal.models import Alert, PatientLink, SessionLog

from .api import api_client
from .factories import (
    AssessmentFactory,
    ClinicFactory,
    ExerciseFactory,
    MembershipFactory,
    PatientFactory,
    PatientLinkFactory,
    PlanFactory,
    PlanItemFactory,
    SessionLogFactory,
    StepFindingFactory,
    TestResultFactory,
    UserFactory,
    instrument,
    record_measure,
)

pytestmark = pytest.mark.django_db

MANY = 50
STANDARD_TESTS = 12
BOTH_SIDES_OF_EVERY_TEST = 2 * STANDARD_TESTS
HANDOUT_ITEMS = 2  # each exercise adds a page to lay out: a few show the growth


# --- A clinic whose rows grow ------------------------------------------------------


def person(**fields):
    # No password: hashing one takes longer than the whole request measured.
    return UserFactory(password=None, **fields)


def member(clinic, role=Membership.Role.THERAPIST):
    user = person()
    MembershipFactory(user=user, clinic=clinic, role=role)
    return user


@dataclass
class Scene:
    """A clinic of its own for each measure, so that the rows of one measure never
    show in the other; its therapist, admin, and a staff member for the Django admin."""

    clinic: Clinic
    therapist: User
    admin: User
    staff: User
    patient: Patient

    @classmethod
    def new(cls):
        clinic = ClinicFactory()
        return cls(
            clinic=clinic,
            therapist=member(clinic, Membership.Role.THERAPIST),
            admin=member(clinic, Membership.Role.ADMIN),
            staff=person(is_staff=True, is_superuser=True),
            patient=PatientFactory(clinic=clinic, family_name="Byron"),
        )


def standard_tests():
    return list(NeuroTest.objects.standard().order_by("code").prefetch_related("steps"))


def patients(scene, count):
    """``count`` patients in the clinic, the scene's own among them."""
    PatientFactory.create_batch(count - 1, clinic=scene.clinic)


def export_jobs(scene, count):
    """``count`` finished batch prints of the clinic."""
    for _ in range(count):
        ExportJob.objects.create(
            clinic=scene.clinic, requested_by=scene.therapist, kind="handouts", state="completed"
        )


def plans_to_choose(scene, count):
    """``count`` active plans the batch print offers to choose from."""
    for _ in range(count):
        PlanFactory(patient=PatientFactory(clinic=scene.clinic), therapist=scene.therapist)


def users(scene, count):
    for _ in range(count):
        member(scene.clinic)


def clinics(scene, count):
    """The therapist belongs to ``count`` clinics."""
    for _ in range(count - 1):
        MembershipFactory(user=scene.therapist, clinic=ClinicFactory())
    return scene.therapist


def clinic_members(scene, count):
    users(scene, count - 2)
    return scene.clinic


def visits(scene, count):
    """``count`` signed visits of the patient, each a different test on both sides
    with a finding, and an addendum."""
    tests = standard_tests()
    for index in range(count):
        assessment = AssessmentFactory(patient=scene.patient, therapist=scene.therapist)
        test = tests[index % len(tests)]
        for side in ("left", "right"):
            result = TestResultFactory(assessment=assessment, test=test, side=side)
            StepFindingFactory(result=result, step=test.steps.first(), intensity=index % 11)
        signed = services.sign_assessment(assessment, signed_by=scene.therapist)
        services.add_addendum(signed, author=scene.admin, text=f"Addendum {index}")
    return scene.patient


def active_plans(scene, count):
    """``count`` active plans of the patient, each with two exercises and a print."""
    for _ in range(count):
        plan = PlanFactory(patient=scene.patient, therapist=scene.therapist)
        PlanItemFactory(plan=plan)
        PlanItemFactory(plan=plan, exercise=ExerciseFactory(clinic=scene.clinic))
        HandoutPrint.objects.create(
            clinic=scene.clinic, plan=plan, printed_by=scene.therapist, paper_size="letter",
            sha256="0" * 64, size_bytes=1,
        )  # fmt: skip
    return scene.patient


def whole_record(scene, count):
    visits(scene, count)
    return active_plans(scene, count)


def assessment_with_results(scene, count, *, signed):
    """One assessment with ``count`` results: the standard tests in turn, left then
    right, each with a finding at every step."""
    assessment = AssessmentFactory(patient=scene.patient, therapist=scene.therapist)
    tests = standard_tests()
    for index in range(count):
        test = tests[index // 2]
        result = TestResultFactory(assessment=assessment, test=test, side=("left", "right")[index % 2])
        for step in test.steps.all():
            StepFindingFactory(result=result, step=step, intensity=index % 11)
    if signed:
        assessment = services.sign_assessment(assessment, signed_by=scene.therapist)
    return assessment


def signed_results(scene, count):
    return assessment_with_results(scene, count, signed=True)


def draft_results(scene, count):
    return assessment_with_results(scene, count, signed=False)


def addenda(scene, count):
    """A signed assessment with ``count`` addenda by two authors."""
    assessment = assessment_with_results(scene, 1, signed=True)
    for index in range(count):
        author = (scene.therapist, scene.admin)[index % 2]
        services.add_addendum(assessment, author=author, text=f"Addendum {index}")
    return assessment


def named_tests(scene, count):
    """A new assessment's page asked for with ``count`` tests (``?tests=SLR&...``)."""
    return scene.patient, {"tests": [test.code for test in standard_tests()[:count]]}


def ticked_tests(scene, count):
    """A new assessment's form sent with ``count`` tests ticked."""
    return scene.patient, {"tests": [str(test.pk) for test in standard_tests()[:count]]}


def own_tests(scene, count):
    """``count`` tests of the clinic's own, with three steps each."""
    for index in range(count):
        own_test_with_steps(scene, 3, code=f"OWN{index}")
    return scene.patient


def own_test_with_steps(scene, count, code="OWN"):
    test = NeuroTest.objects.create(
        clinic=scene.clinic, code=code, name=f"Own test {code}", nerve_bias="median",
        region=NeuroTest.Region.UPPER, measured_joint="elbow extension",
    )  # fmt: skip
    for order in range(1, count + 1):
        TestStep.objects.create(
            test=test, order=order, code=f"step-{order}", name=f"Step {order}", kind="base"
        )
    return test


def own_test_steps(scene, count):
    return own_test_with_steps(scene, count).code


def result_findings(scene, count):
    """A draft's result with ``count`` findings, on a test of the clinic's own."""
    assessment = AssessmentFactory(patient=scene.patient, therapist=scene.therapist)
    result = TestResultFactory(assessment=assessment, test=own_test_with_steps(scene, count))
    for step in result.test.steps.all():
        StepFindingFactory(result=result, step=step)
    return result


def own_exercises(scene, count):
    ExerciseFactory.create_batch(count, clinic=scene.clinic)
    return scene.patient


def exercise_with_movements(scene, count):
    exercise = ExerciseFactory(clinic=scene.clinic)  # comes with one movement
    for order in range(2, count + 1):
        ExerciseMovement.objects.create(
            exercise=exercise, order=order, slug=f"move-{order}", title=f"Move {order}", steps=["Breathe."]
        )
    return exercise


def exercise_movements(scene, count):
    return exercise_with_movements(scene, count).slug


def library_of(scene, count):
    """``count`` exercises: the standard library's, then the clinic's own."""
    standard = list(Exercise.objects.standard().order_by("slug"))
    return [
        standard[index] if index < len(standard) else ExerciseFactory(clinic=scene.clinic)
        for index in range(count)
    ]


def plan_items(scene, count):
    """A plan with ``count`` exercises."""
    plan = PlanFactory(patient=scene.patient, therapist=scene.therapist)
    for order, exercise in enumerate(library_of(scene, count)):
        PlanItemFactory(plan=plan, exercise=exercise, order=order, cues=f"Cue {order}")
    return plan


def items_typed(scene, count):
    """The plan builder's form sent with ``count`` exercises, as typed so far."""
    form = {"goals": "Sit longer", "start_date": "2026-11-24", "status": "active", "item-count": str(count)}
    for index, exercise in enumerate(library_of(scene, count)):
        form |= {
            f"item-{index}-exercise": str(exercise.pk), f"item-{index}-sets": "1",
            f"item-{index}-reps": "10", f"item-{index}-hold_seconds": "0",
            f"item-{index}-times_per_day": "2", f"item-{index}-days_per_week": "7",
            f"item-{index}-side": "both", f"item-{index}-cues": "",
        }  # fmt: skip
    return scene.patient, form


def audit_events(scene, count):
    """``count`` events in the patient's audit history, by two people."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor, actor_username=actor.username, clinic=scene.clinic, patient=scene.patient,
            action=AuditEvent.Action.VIEW, object_type="patient", object_id=str(scene.patient.pk),
            path=f"/patients/{scene.patient.pk}/",
        )
        for actor in [(scene.therapist, scene.admin)[index % 2] for index in range(count)]
    )  # fmt: skip
    return scene.patient


def versions_of(make):
    """``make(scene)``'s record, saved until its history holds ``count`` versions."""

    def grow(scene, count):
        record = make(scene)
        for _ in range(count - 1):
            record.save()
        return record

    return grow


def admin_log_of_a_user(scene, count):
    """``count`` changes of the therapist in the Django admin's log."""
    LogEntry.objects.bulk_create(
        LogEntry(
            user=scene.staff, content_type=ContentType.objects.get_for_model(User),
            object_id=str(scene.therapist.pk), object_repr=str(scene.therapist), action_flag=CHANGE,
            change_message="[]",
        )
        for _ in range(count)
    )  # fmt: skip
    return scene.therapist


def measures(scene, count):
    """``count`` responses of the patient to three measures (a PSFS among them, its
    activities followed), a schedule of what is due, and a request sent."""
    MeasureSchedule.objects.create(clinic=scene.clinic, instrument=instrument("nprs"), every_weeks=1)
    MeasureSchedule.objects.create(clinic=scene.clinic, instrument=instrument("groc"), at_discharge=True)
    for index in range(count):
        days_ago = count - index + 7
        match index % 3:
            case 0:
                record_measure(
                    scene.patient, "nprs", {"pain": index % 11}, by=scene.therapist, days_ago=days_ago
                )
            case 1:
                record_measure(
                    scene.patient, "groc", {"change": index % 8}, by=scene.therapist, days_ago=days_ago
                )
            case _:
                activities = {f"activity-{n}": (f"Activity {n}", (index + n) % 11) for n in (1, 2, 3)}
                record_measure(scene.patient, "psfs", activities, by=scene.therapist, days_ago=days_ago)
    return scene.patient


def measure_points(response, content):
    return sum(len(series["points"]) for series in response.json()["series"])


# --- Counting the rows of an answer ------------------------------------------------


# The patient's link


def linked_plan(scene, items=2, days_back=0):
    plan = PlanFactory(
        patient=scene.patient,
        therapist=scene.therapist,
        start_date=datetime.date.today() - datetime.timedelta(days=days_back),
    )
    for order, exercise in enumerate(library_of(scene, items)):
        PlanItemFactory(plan=plan, exercise=exercise, order=order)
    return plan, PatientLinkFactory(plan=plan)


def logged_sessions(scene, count):
    """A plan with a link and ``count`` sessions logged on as many days, every third
    with high pain (and its alert)."""
    plan, link = linked_plan(scene, days_back=count)
    for index in range(count):
        log = SessionLogFactory(
            link=link, date=plan.start_date + datetime.timedelta(days=index), pain=index % 3 * 4
        )
        if log.pain >= 7:
            Alert.objects.create(clinic=scene.clinic, plan=plan, session_log=log, kind=Alert.Kind.PAIN)
    return plan


def linked_plans(scene, count):
    """``count`` active plans of the patient, each with a link, a session and an alert."""
    for _ in range(count):
        _, link = linked_plan(scene)
        log = SessionLogFactory(link=link, pain=8)
        Alert.objects.create(clinic=scene.clinic, plan=link.plan, session_log=log, kind=Alert.Kind.PAIN)
    return scene.patient


def plan_links(scene, count):
    plan, _ = linked_plan(scene)
    for _ in range(count - 1):
        PatientLinkFactory(plan=plan)
    return plan


def open_alerts(scene, count):
    """``count`` open alerts of as many patients of the clinic, and one acknowledged."""
    for _ in range(count):
        _, link = linked_plan(
            Scene(**{**scene.__dict__, "patient": PatientFactory(clinic=scene.clinic)}), items=1
        )
        log = SessionLogFactory(link=link, pain=8)
        Alert.objects.create(clinic=scene.clinic, plan=link.plan, session_log=log, kind=Alert.Kind.PAIN)
    Alert.objects.filter(clinic=scene.clinic).first().acknowledge(by=scene.therapist)


def session_with_items(scene, count):
    _, link = linked_plan(scene, items=count)
    return SessionLogFactory(link=link)


def html_count(pattern):
    def count(response, content):
        return len(re.findall(pattern, content.decode()))

    return count


def json_rows(response, content):
    body = response.json()
    return len(body["results"] if isinstance(body, dict) else body)


def json_list(name):
    def count(response, content):
        return len(response.json()[name])

    return count


def progress_points(response, content):
    return sum(len(series["points"]) for series in response.json()["series"])


def csv_lines(response, content):
    return len(content.decode().splitlines()) - 1


def pdf_pages(response, content):
    return len(PdfReader(io.BytesIO(content)).pages)


# --- The cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A page or list. ``grow(scene, count)`` adds the rows and answers what the URL
    names (a record, a code, or nothing), optionally with the query or form fields
    that go with them. ``form`` makes it a POST with those fields."""

    url_name: str
    grow: Callable
    rows: Callable
    label: str = ""
    user: str = "therapist"
    api: bool = False
    of_record: bool = True
    query: dict = field(default_factory=dict)
    form: dict | None = None
    many: int = MANY

    @property
    def id(self):
        return f"{self.url_name} {self.label}".strip()


def page(url_name, grow, rows, label="", **options):
    return Case(url_name, grow, rows, label, **options)


def api(url_name, grow, rows=json_rows, label="", **options):
    return Case(url_name, grow, rows, label, api=True, **options)


def api_list(url_name, grow, rows=json_rows, label="", **options):
    """A list of the caller's records: its URL names no record."""
    return Case(url_name, grow, rows, label, api=True, of_record=False, **options)


def admin_url_name(model, view):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def staff_list(model, grow, **options):
    """The Django admin's list of a model; its rows counted by their first column."""
    first_column = admin_site.get_model_admin(model).list_display[0]
    rows = html_count(f'<th class="field-{first_column}[ "]')
    return Case(admin_url_name(model, "changelist"), grow, rows, user="staff", of_record=False, **options)


def staff_form(model, grow, label, **options):
    """A record's page in the Django admin, with its inline rows."""
    rows = html_count("has_original")
    return Case(admin_url_name(model, "change"), grow, rows, label, user="staff", **options)


# Grids of the tests not ticked are on the page too, hidden, to appear in place.
SHOWN_GRIDS = html_count(r"data-grid [^>]*data-side=\"\w+\"(?! hidden)")
PATIENT_LINKS = html_count(r'href="/patients/[0-9a-f-]{36}/"')
VERSION_LINKS = html_count(r'/history/\d+/"')


def staff_history(model, grow, rows=VERSION_LINKS, **options):
    """A record's past versions in the Django admin."""
    return Case(admin_url_name(model, "history"), grow, rows, user="staff", **options)


CASES = [
    # Exports and batch printing
    page("export-list", export_jobs, html_count(r'href="/exports/[0-9a-f-]{36}/"'), "(recent jobs)"),
    page("export-list", plans_to_choose, html_count(r'name="plans"'), "(plans to choose for a batch print)"),
    # The clinician's pages
    page("patient-list", patients, PATIENT_LINKS),
    page("patient-list", patients, PATIENT_LINKS, "(the rows a search refreshes)", query={"partial": "1"}),
    page("patient-chart", visits, html_count(r'class="visit"'), "(visits and progress charts)"),
    page("patient-chart", active_plans, html_count(r'class="plan-summary"'), "(active plans)"),
    page("assessment-detail", signed_results, html_count(r'class="card result"'),
         "(both sides of every test, a finding at every step)", many=BOTH_SIDES_OF_EVERY_TEST),
    page("assessment-detail", addenda, html_count(r'class="addendum"'), "(addenda)"),
    page("assessment-addendum", addenda, html_count(r'class="addendum"'),
         "(an empty addendum shows the assessment again)", form={"text": ""}),
    page("assessment-new", named_tests, SHOWN_GRIDS, "(grids of the tests in the address)",
         many=STANDARD_TESTS),
    page("assessment-new", ticked_tests, SHOWN_GRIDS, "(grids of the tests picked)",
         form={"action": "pick"}, many=STANDARD_TESTS),
    page("assessment-new", own_tests, html_count(r'class="test-option"'), "(the clinic's own tests)"),
    page("assessment-edit", draft_results, SHOWN_GRIDS,
         "(both sides of every test, a finding at every step)", many=BOTH_SIDES_OF_EVERY_TEST),
    page("plan-new", own_exercises, html_count(r'name="add"'), "(the clinic's own exercises)"),
    page("plan-new", items_typed, html_count(r'class="plan-item'), "(the builder after moving an exercise)",
         form={"move": "0:down"}, many=MAX_PLAN_ITEMS),
    page("plan-detail", plan_items, html_count(r"<tr><td>"), many=MAX_PLAN_ITEMS),
    page("plan-edit", plan_items, html_count(r'class="plan-item'), many=MAX_PLAN_ITEMS),
    page("plan-handout", plan_items, pdf_pages, many=HANDOUT_ITEMS),
    page("patient-chart", linked_plans, html_count(r'class="portal-report"'), "(the home exercise log)"),
    page("plan-detail", logged_sessions, html_count(r'class="session-row"'), "(the patient's sessions)"),
    page("portal:alerts", open_alerts, html_count(r'class="(alert|acknowledged)-row"'), of_record=False),
    page("patient-chart", measures, html_count(r'href="/measures/[0-9a-f-]{36}/"'), "(outcome measures)"),
    page("patient-audit", audit_events, html_count(r'<th scope="row"><time'), user="admin"),
    page("patient-audit-csv", audit_events, csv_lines, user="admin"),
    # The REST API
    api_list("api:patient-list", patients),
    api_list("api:patient-changes", patients),
    api("api:patient-audit", audit_events, user="admin"),
    api("api:patient-audit", audit_events, csv_lines, "(CSV)", user="admin", query={"format": "csv"}),
    api("api:patient-progress", visits, progress_points),
    api("patient-fhir", whole_record, json_list("entry")),
    api("outcomes-api:patient-measures", measures, measure_points),
    api_list("api:clinic-list", clinics),
    # The FHIR server
    api("fhir-patient-everything", whole_record, json_list("entry")),
    api_list("fhir-patient-search", patients, json_list("entry"), query={"_count": 100}),
    api_list("fhir-encounter-search", visits, json_list("entry"), query={"_count": 100}),
    api_list("fhir-observation-search", visits, json_list("entry"), query={"_count": 100}, many=20),
    api_list("fhir-careplan-search", active_plans, json_list("entry"), query={"_count": 100}),
    api_list("fhir-servicerequest-search", active_plans, json_list("entry"), query={"_count": 100}),
    api_list("fhir-documentreference-search", active_plans, json_list("entry"), query={"_count": 100}),
    api_list("fhir-organization-search", clinics, json_list("entry"), query={"_count": 100}),
    api_list("fhir-practitioner-search", users, json_list("entry"), query={"_count": 100}),
    api_list("fhir-practitionerrole-search", users, json_list("entry"), query={"_count": 100}),
    api("fhir-observation-read", result_findings, json_list("hasMember"), "(a test and its findings)"),
    api_list("api:assessment-list", visits),
    api_list("api:assessment-changes", visits),
    api("api:assessment-detail", signed_results, json_list("results"), many=BOTH_SIDES_OF_EVERY_TEST),
    api("api:assessment-addenda", addenda),
    api_list("api:plan-list", active_plans),
    api_list("api:plan-changes", active_plans),
    api("api:plan-detail", plan_items, json_list("items"), many=MAX_PLAN_ITEMS),
    api("api:plan-handout", plan_items, pdf_pages, many=HANDOUT_ITEMS),
    api("portal:api-plan-links", plan_links),
    api("portal:api-plan-adherence", logged_sessions, json_list("sessions")),
    api_list("api:neurotest-list", own_tests, query={"standard": "false"}),
    api("api:neurotest-detail", own_test_steps, json_list("steps")),
    api_list("api:exercise-list", own_exercises, query={"standard": "false"}),
    api("api:exercise-detail", exercise_movements, json_list("movements")),
    # The Django admin, for staff
    staff_list(Patient, patients),
    staff_list(Clinic, clinics),
    staff_list(User, users),
    staff_list(AuditEvent, audit_events),
    staff_list(NeuroTest, own_tests),
    staff_list(Assessment, visits),
    staff_list(TestResult, visits),
    staff_list(Exercise, own_exercises),
    staff_list(Plan, active_plans),
    staff_list(HandoutPrint, active_plans),
    staff_list(PatientLink, plan_links),
    staff_list(SessionLog, logged_sessions),
    staff_list(Alert, open_alerts),
    staff_form(SessionLog, session_with_items, "(exercises)", many=MAX_PLAN_ITEMS),
    staff_list(MeasureResponse, measures),
    staff_form(Assessment, draft_results, "(a draft's results)", many=BOTH_SIDES_OF_EVERY_TEST),
    staff_form(Assessment, signed_results, "(signed results)", many=BOTH_SIDES_OF_EVERY_TEST),
    staff_form(Assessment, addenda, "(addenda)"),
    staff_form(TestResult, result_findings, "(findings)"),
    staff_form(Plan, plan_items, "(exercises)", many=MAX_PLAN_ITEMS),
    staff_form(NeuroTest, lambda scene, count: own_test_with_steps(scene, count), "(steps)"),
    staff_form(Exercise, exercise_with_movements, "(movements)"),
    staff_form(User, clinics, "(memberships)"),
    staff_form(Clinic, clinic_members, "(memberships)"),
    staff_history(Patient, versions_of(lambda scene: scene.patient)),
    staff_history(Clinic, versions_of(lambda scene: scene.clinic)),
    staff_history(User, admin_log_of_a_user, html_count(r'<th scope="row">')),
    staff_history(NeuroTest, versions_of(lambda scene: own_test_with_steps(scene, 1))),
    staff_history(Assessment, versions_of(lambda scene: draft_results(scene, 2))),
    staff_history(TestResult, versions_of(lambda scene: result_findings(scene, 1))),
    staff_history(Exercise, versions_of(lambda scene: ExerciseFactory(clinic=scene.clinic))),
    staff_history(Plan, versions_of(lambda scene: plan_items(scene, 2))),
]  # fmt: skip

# Every other route, and why it has no rows that grow.
NOT_LISTS = {
    "login": "the sign-in form",
    "logout": "signs out",
    "clinic-switch": "a POST that redirects",
    "patient-add": "an empty form",
    "patient-edit": "one patient's form",
    "patient-archive": "a POST that redirects",
    "patient-restore": "a POST that redirects",
    "interpretation-preview": "one computed reading, no records",
    "assessment-sign": "a POST that redirects",
    "fhir-patient-import": "a POST of one patient",
    "fhir-metadata": "the server's CapabilityStatement, no records",
    "fhir-codesystem-search": "Glide's published code systems, the same for every clinic",
    "fhir-codesystem-read": "one published code system",
    "fhir-clinic-codesystem-read": "one clinic's code system: one query per kind of catalogue entry",
    "fhir-structuredefinition-search": "Glide's published extensions, the same for every clinic",
    "fhir-structuredefinition-read": "one published extension",
    "fhir-patient-read": "one patient and their identifiers",
    "fhir-encounter-read": "one visit",
    "fhir-careplan-read": "one plan",
    "fhir-servicerequest-read": "one exercise of a plan",
    "fhir-documentreference-read": "one printed handout",
    "fhir-binary-read": "one printed PDF",
    "fhir-organization-read": "one clinic",
    "fhir-practitioner-read": "one person",
    "fhir-practitionerrole-read": "one membership",
    "api:api-root": "links to the lists",
    "api:auth-token": "one token",
    "api:schema": "the OpenAPI document, no records",
    "api:docs": "the interactive documentation page, no records",
    "api:clinic-detail": "one clinic, no nested rows",
    "api:patient-detail": "one patient, no nested rows",
    "api:assessment-sign": "a POST; answers the assessment through api:assessment-detail's queryset",
    "export-detail": "one job",
    "export-download": "one file",
    "fhir-patient-export": "starts one export",
    "fhir-clinic-export": "starts one export",
    "fhir-export-status": "one export's manifest, from its row",
    "fhir-export-file": "one file",
    "measure-new": "one instrument's form, or the fixed list of shipped instruments",
    "measure-send": "a POST that redirects",
    "measure-detail": "one response; its answers are one column",
    "measure-settings": "the shipped instruments, a fixed set, with the clinic's schedule and wordings",
    "measure-wording": "a POST that redirects",
    "outcomes-api:instrument-list": "the shipped instruments, a fixed set, and the clinic's wordings",
    "outcomes-api:instrument-detail": "one instrument",
    "admin:outcomes_instrument_changelist": "the shipped instruments, a fixed set",
    "admin:outcomes_instrument_change": "one instrument, no inline rows",
    "admin:outcomes_instrument_history": "shipped data: migrations change it, the admin does not",
    "admin:outcomes_measureresponse_change": "one response, no inline rows",
    "admin:outcomes_measureresponse_history": "signed on submission: the admin never changes one",
    "admin:index": "the list of models",
    "admin:app_list": "the list of an app's models",
    "admin:login": "the sign-in form",
    "admin:logout": "signs out",
    "admin:password_change": "a form",
    "admin:password_change_done": "a message",
    "admin:auth_user_password_change": "one user's form",
    "admin:jsi18n": "the admin's translations",
    "admin:view_on_site": "a redirect",
    "admin:autocomplete": "no admin field is filled by autocompletion",
    "admin:clinic_patient_change": "one patient's form, no inline rows",
    "admin:clinic_auditevent_change": "one event, no inline rows",
    "admin:assessments_handoutprint_change": "one print, no inline rows",
    "admin:clinic_auditevent_history": "append-only: the admin never changes one, so it logs nothing",
    "admin:assessments_handoutprint_history": "append-only: the admin never changes one, so it logs nothing",
    "portal:api-plan-link-revoke": "a POST of one link",
    "portal:api-portal-plan": "opened by a link, not a user: tests/portal/test_query_counts.py",
    "portal:api-portal-sessions": "a POST of one session",
    "portal:api-portal-session": "a PUT of one session",
    "portal:plan": "opened by a link, not a user: tests/portal/test_query_counts.py",
    "portal:log-session": "a POST that redirects (or shows the plan page again)",
    "portal:correct-session": "one session's form, one row per exercise: tests/portal/test_query_counts.py",
    "portal:link-create": "a POST that redirects",
    "portal:link-revoke": "a POST that redirects",
    "portal:alert-acknowledge": "a POST that redirects",
    "outcomes-api:portal-measures": "opened by a link, not a user: tests/outcomes/test_patient_api.py",
    "outcomes-api:portal-measure": "a POST of one response",
    "patient-measure": "one measure's questions, opened by a link: tests/outcomes/test_patient_pages.py",
    "admin:portal_patientlink_change": "one link, no inline rows",
    "admin:portal_alert_change": "one alert, no inline rows",
    "admin:portal_patientlink_history": "the admin's own log of one link's changes",
    "admin:portal_sessionlog_history": "the admin's own log of one session's changes",
    "admin:portal_alert_history": "the admin's own log of one alert's changes",
}
NOT_LIST_PATTERNS = {
    r"^admin:(auth|authtoken|axes)_": "another package's models, in its own admin",
    r"^admin:\w+_add$": "an empty form",
    r"^admin:\w+_delete$": "Django's confirmation of a deletion (clinical records are archived, not deleted)",
    r"^admin:\w+_simple_history$": "one past version's form",
}


# --- Measuring ---------------------------------------------------------------------


@dataclass
class Measure:
    queries: int
    rows: int
    statements: list


def signed_in(case, user):
    if case.api:
        return api_client(user)
    client = Client()
    client.force_login(user)
    return client


def send(client, path, case, params):
    if case.form is None:
        return client.get(path, params)
    return client.post(path, {**params, **case.form})


def measure(case, count):
    """The queries of the case's request, the second time a newly signed-in user
    sends it, so that both measures find the caches alike."""
    scene = Scene.new()
    grown = case.grow(scene, count)
    record, params = grown if isinstance(grown, tuple) else (grown, {})
    args = [getattr(record, "pk", record)] if case.of_record and record is not None else []
    path = reverse(case.url_name, args=args)
    params = {**params, **case.query}
    client = signed_in(case, getattr(scene, case.user))
    send(client, path, case, params)
    with CaptureQueriesContext(connection) as captured:
        response = send(client, path, case, params)
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, f"{case.id}: {response.status_code} {content[:300]!r}"
    return Measure(len(captured), case.rows(response, content), [query["sql"] for query in captured])


def statement_shape(sql):
    """A statement with its values left out, so that repeats of it count as one."""
    sql = re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(?)", sql)


def repeated(one, many):
    """The statements the larger answer ran more often, most repeated first."""
    extra = Counter(map(statement_shape, many.statements)) - Counter(map(statement_shape, one.statements))
    return "\n".join(f"  {times} x {sql[:200]}" for sql, times in extra.most_common(3))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_page_or_list_costs_the_same_queries_for_one_row_and_many(case):
    one = measure(case, 1)
    many = measure(case, case.many)

    assert many.rows > one.rows, f"{case.id}: {one.rows} row(s) shown for 1, {many.rows} for {case.many}"
    assert many.queries == one.queries, (
        f"{case.id}: {one.queries} queries for {one.rows} row(s), {many.queries} for {many.rows}\n"
        + repeated(one, many)
    )


# --- Every list has a case ---------------------------------------------------------


def url_names(patterns=None, namespace=""):
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_and_list_has_a_query_count_case():
    routes = url_names()
    covered = {case.url_name for case in CASES}
    explained = covered | set(NOT_LISTS)
    by_pattern = {name for name in routes if any(re.search(rule, name) for rule in NOT_LIST_PATTERNS)}

    assert routes - explained - by_pattern == set(), "routes with neither a query-count case nor a reason"
    assert explained - routes == set(), "cases or reasons for routes that are gone"
