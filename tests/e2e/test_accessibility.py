"""
Every page of the web app checked by axe-core in a real Chromium, at desktop and
phone widths, in its ordinary state and its error states: no critical or serious
violation, and nothing wider than a phone's screen.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from clinic.models import Membership
from tests.factories import (
    AssessmentFactory,
    ClinicFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    StepFindingFactory,
    TestResultFactory,
    member,
    standard_exercise,
    standard_test,
)

from .conftest import DESKTOP, PHONE, page_overflows, serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def records():
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    therapist = member(
        clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera"
    )
    member(clinic, Membership.Role.ADMIN, username="dana", first_name="Dana", last_name="Okafor")
    member(clinic, Membership.Role.VIEWER, username="lee", first_name="Lee", last_name="Chen")
    member(
        ClinicFactory(slug="elsewhere"), Membership.Role.THERAPIST, username="newcomer"
    ).memberships.all().delete()
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    PatientFactory(clinic=clinic, given_name="Grace", family_name="Hopper", chart_number="A-1002")
    signed = AssessmentFactory(
        patient=patient, therapist=therapist, performed_at=timezone.now() - datetime.timedelta(days=7)
    )
    for side, onset in (("left", 45), ("right", 70)):
        result = TestResultFactory(
            assessment=signed,
            test=standard_test("SLR"),
            side=side,
            range_at_onset_deg=onset,
            range_at_max_deg=onset + 10,
        )
        StepFindingFactory(
            result=result, step=result.test.steps.first(), symptoms_reproduced="full", intensity=4
        )
    services.sign_assessment(signed, signed_by=therapist)
    draft = AssessmentFactory(patient=patient, therapist=therapist)
    TestResultFactory(assessment=draft, test=standard_test("SLUMP"), side="left", range_at_onset_deg=30)
    plan = PlanFactory(patient=patient, therapist=therapist, assessment=signed)
    PlanItemFactory(plan=plan, exercise=standard_exercise("tibial-slider"))
    return {"patient": patient, "signed": signed, "draft": draft, "plan": plan}


def check(page, problems, name, camera):
    """The page as it stands, at both widths: axe's serious findings, any overflow;
    and its picture at every width."""
    camera.shoot(re.sub(r"\W+", "-", name).strip("-"))
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        problems.extend(f"{name} at {width} px: {finding}" for finding in serious_axe_violations(page))
        if page_overflows(page):
            problems.append(f"{name} at {width} px scrolls sideways")
    page.set_viewport_size({"width": DESKTOP, "height": 900})


def visit(page, url, problems, name, camera):
    page.goto(url)
    check(page, problems, name, camera)


def test_every_page_passes_axe_at_desktop_and_phone_widths(
    live_server, browser, records, settings, camera_for
):
    settings.ROOT_URLCONF = "tests.e2e.fault_urls"
    base = live_server.url
    patient, signed, draft, plan = records["patient"], records["signed"], records["draft"], records["plan"]
    page = browser.new_page(viewport={"width": DESKTOP, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    camera = camera_for(page)
    problems = []

    visit(page, base + "/accounts/login/", problems, "login", camera)
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    check(page, problems, "login with a wrong password", camera)

    sign_in(page, base, "sam")
    visit(page, base + "/", problems, "patient list", camera)
    visit(page, base + "/?q=nobody", problems, "patient list, no match", camera)
    visit(page, base + "/patients/new/", problems, "new patient", camera)
    page.get_by_role("button", name="Add patient").click()
    check(page, problems, "new patient with errors", camera)
    visit(page, base + f"/patients/{patient.pk}/edit/", problems, "edit patient", camera)
    visit(page, base + f"/patients/{patient.pk}/", problems, "chart", camera)
    visit(page, base + f"/patients/{patient.pk}/assessments/new/", problems, "new assessment", camera)
    expect(page.locator("[data-grid]:visible")).to_have_count(2)  # the last visit's slump
    page.get_by_label("SLR · Straight leg raise", exact=True).check()
    expect(page.locator("[data-grid]:visible")).to_have_count(4)
    page.fill('[name="SLR-left-range_at_onset_deg"]', "60")
    page.fill('[name="SLR-left-range_at_max_deg"]', "50")
    page.fill('[name="SLR-left-hip-flexion-intensity"]', "11")
    check(page, problems, "new assessment with grids", camera)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, problems, "new assessment with errors", camera)
    visit(page, base + f"/assessments/{draft.pk}/edit/", problems, "draft assessment", camera)
    visit(page, base + f"/assessments/{signed.pk}/", problems, "signed assessment", camera)
    page.get_by_role("button", name="Add addendum").click()
    check(page, problems, "signed assessment, empty addendum", camera)
    visit(page, base + f"/patients/{patient.pk}/plans/new/", problems, "new plan", camera)
    page.get_by_role("button", name="Save plan").click()
    check(page, problems, "new plan with errors", camera)
    visit(page, base + f"/plans/{plan.pk}/", problems, "plan", camera)
    visit(page, base + f"/plans/{plan.pk}/edit/", problems, "edit plan", camera)
    visit(page, base + "/patients/00000000-0000-0000-0000-000000000000/", problems, "not found", camera)
    visit(page, base + "/broken/", problems, "server error", camera)
    visit(page, base + "/api/v1/docs/", problems, "API docs", camera)
    page.wait_for_selector(".opblock", timeout=15000)
    check(page, problems, "API docs, loaded", camera)

    sign_in(page, base, "dana")
    visit(page, base + f"/patients/{patient.pk}/audit/", problems, "audit history", camera)
    visit(
        page,
        base + f"/patients/{patient.pk}/audit/?since=2026-05-02&until=2026-05-01",
        problems,
        "audit, bad range",
        camera,
    )

    sign_in(page, base, "lee")
    visit(page, base + f"/patients/{patient.pk}/edit/", problems, "forbidden", camera)

    sign_in(page, base, "newcomer")
    visit(page, base + "/", problems, "no clinic", camera)

    assert not problems, "\n".join(problems)
