"""
The clinician's main flow in a real Chromium against a live server: log in, find
a patient, record an SLR and a slump on both sides, sign, add an addendum, build a
plan of two exercises and print the handout. Each page is photographed at desktop
and tablet widths under ``test-artifacts/screenshots/<test name>/``.
"""

import datetime
import re
import types

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, Plan
from clinic import audit
from clinic.models import AuditEvent, Membership
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    ClinicFactory,
    PatientFactory,
    StepFindingFactory,
    TestResultFactory,
    member,
    standard_exercise,
    standard_test,
)

from .conftest import PHONE, SCREENSHOTS, Camera, page_overflows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def earlier_visits(patient, therapist):
    """Two signed visits, so that the progress charts have a history."""
    for days_ago, slr_left, slump_left in ((28, 40, 20), (14, 50, 30)):
        assessment = AssessmentFactory(
            patient=patient,
            therapist=therapist,
            performed_at=timezone.now() - datetime.timedelta(days=days_ago),
            complaint="Pulling behind the left thigh after sitting",
        )
        for code, side, onset in (
            ("SLR", "left", slr_left),
            ("SLR", "right", 80),
            ("SLUMP", "left", slump_left),
        ):
            result = TestResultFactory(
                assessment=assessment,
                test=standard_test(code),
                side=side,
                range_at_onset_deg=onset,
                range_at_max_deg=onset + 15,
                differentiation="increased" if side == "left" else "unchanged",
            )
            StepFindingFactory(
                result=result,
                step=result.test.steps.first(),
                symptoms_reproduced="full" if side == "left" else "none",
            )
            result.refresh_interpretation()
            result.save()
        services.sign_assessment(assessment, signed_by=therapist)


def from_browser(user, agent, ip):
    """Who sent a request, for events written before the browser opens."""
    return types.SimpleNamespace(
        user=user, method="GET", path="/", META={"HTTP_USER_AGENT": agent, "REMOTE_ADDR": ip}
    )


def record_side(page, code, side, *, onset, maximum, differentiation, findings):
    prefix = f"{code}-{side}"
    page.fill(f'[name="{prefix}-range_at_onset_deg"]', str(onset))
    page.fill(f'[name="{prefix}-range_at_max_deg"]', str(maximum))
    page.select_option(f'[name="{prefix}-differentiation"]', differentiation)
    for step, (reproduced, kinds, location, intensity) in findings.items():
        page.check(f'[name="{prefix}-{step}-symptoms_reproduced"][value="{reproduced}"]')
        for kind in kinds:
            page.check(f'[name="{prefix}-{step}-symptom_kinds"][value="{kind}"]')
        page.fill(f'[name="{prefix}-{step}-location"]', location)
        page.fill(f'[name="{prefix}-{step}-intensity"]', str(intensity))


def test_clinician_records_signs_plans_and_prints(live_server, browser, request):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    therapist = member(
        clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera"
    )
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    for given, family, chart in (("Grace", "Hopper", "A-1002"), ("Mary", "Shelley", "A-1003")):
        PatientFactory(clinic=clinic, given_name=given, family_name=family, chart_number=chart)
    earlier_visits(patient, therapist)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    camera = Camera(page, SCREENSHOTS / request.node.name)

    # Log in.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Log in to Glide")).to_be_visible()
    camera.shoot("login")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Find the patient by typing part of the name: the list updates as one types.
    expect(page.get_by_role("heading", name="Patients")).to_be_visible(timeout=20_000)
    camera.shoot("patients")
    page.get_by_label("Search by name or chart number").press_sequentially("byr", delay=40)
    expect(page.locator("#patient-rows tbody tr")).to_have_count(1)
    camera.shoot("patients-search")
    page.get_by_role("link", name="Byron, Ada").click()

    expect(page.get_by_role("heading", name=re.compile("Ada Byron"))).to_be_visible()
    expect(page.locator("svg.progress-chart").first).to_be_visible()
    camera.shoot("chart")

    # Record an SLR and a slump on both sides.
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Presenting complaint").fill("Pulling behind the left thigh, better than last week")
    page.get_by_label("SLR · Straight leg raise", exact=True).check()
    page.get_by_label("SLUMP · Slump test", exact=True).check()
    expect(page.locator("[data-grid]:visible")).to_have_count(4)  # in place, no reload

    record_side(
        page,
        "SLR",
        "left",
        onset=60,
        maximum=75,
        differentiation="increased",
        findings={
            "hip-flexion": ("partial", ["stretch"], "back of thigh", 3),
            "ankle-dorsiflexion": ("full", ["pain", "pins-and-needles"], "back of thigh", 5),
        },
    )
    slr_left = page.locator("[data-grid]").nth(0)
    expect(slr_left.locator("[data-reading]")).to_have_text("Positive")
    record_side(
        page,
        "SLR",
        "right",
        onset=80,
        maximum=85,
        differentiation="unchanged",
        findings={"hip-flexion": ("none", [], "", 0)},
    )
    expect(page.locator("[data-grid]").nth(1).locator("[data-reading]")).to_have_text("Negative")
    record_side(
        page,
        "SLUMP",
        "left",
        onset=35,
        maximum=45,
        differentiation="decreased",
        findings={"knee-extension": ("full", ["pain"], "back of knee", 4)},
    )
    record_side(
        page,
        "SLUMP",
        "right",
        onset=10,
        maximum=15,
        differentiation="not_tested",
        findings={"knee-extension": ("partial", ["stretch"], "back of knee", 2)},
    )
    expect(page.locator("[data-grid]").nth(3).locator("[data-reading]")).to_have_text("Inconclusive")
    camera.shoot("assessment-grid")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_text("The assessment is signed.")).to_be_visible()
    expect(page.get_by_text(re.compile("Signed by Sam Rivera"))).to_be_visible()
    camera.shoot("assessment-signed")

    assessment = Assessment.objects.latest("performed_at")
    assert assessment.is_signed
    readings = {(r.test.code, r.side): r.interpretation for r in assessment.results.select_related("test")}
    assert readings == {
        ("SLR", "left"): "positive",
        ("SLR", "right"): "negative",
        ("SLUMP", "left"): "positive",
        ("SLUMP", "right"): "inconclusive",
    }

    # A later correction is an addendum.
    page.get_by_label("Addendum").fill("Patient adds: the pins and needles stop at the ankle.")
    page.get_by_role("button", name="Add addendum").click()
    expect(page.get_by_text("the pins and needles stop at the ankle")).to_be_visible()
    camera.shoot("assessment-addendum")

    # A plan of two exercises, found in the library.
    hamstring = standard_exercise("active-hamstring-mobilization")
    tibial = standard_exercise("tibial-slider")
    page.get_by_role("link", name="Build a plan").click()
    page.get_by_label("Goals").fill("Sit through a one-hour meeting without pulling")
    camera.shoot("plan-empty")
    page.get_by_label("Search the library").fill("hamstring")
    page.get_by_role("button", name=f"Add {hamstring.name}").click()
    page.get_by_label("Search the library").fill("")
    page.get_by_label("Type", exact=True).select_option("slider")
    page.get_by_label("Nerve", exact=True).select_option("tibial")
    expect(page.locator("li[data-name]:visible")).to_have_count(1)
    page.get_by_role("button", name=f"Add {tibial.name}").click()
    page.fill('[name="item-1-reps"]', "15")
    page.fill('[name="item-1-cues"]', "Slow and easy, no pain")
    page.get_by_role("button", name=f"Move {tibial.name} up").click()
    expect(page.locator(".plan-item legend").first).to_contain_text(tibial.name)
    camera.shoot("plan-builder")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    camera.shoot("plan")

    plan = Plan.objects.get()
    assert plan.assessment == assessment
    assert [(item.exercise.slug, item.reps) for item in plan.items.order_by("order")] == [
        ("tibial-slider", 15),
        ("active-hamstring-mobilization", hamstring.default_reps),
    ]

    # Print the handout: the button's form opens the PDF.
    with (
        page.expect_popup() as popup_info,
        context.expect_event("response", lambda response: "handout.pdf" in response.url) as response_info,
    ):
        page.get_by_role("button", name="Print handout").click()
    assert response_info.value.headers["content-type"] == "application/pdf"
    popup_info.value.close()
    handout = context.request.get(
        live_server.url + page.locator("form.print-form").get_attribute("action"), params={"paper": "a4"}
    )
    assert handout.headers["content-type"] == "application/pdf"
    assert handout.body().startswith(b"%PDF")

    page.goto(live_server.url + f"/patients/{patient.pk}/")
    expect(page.locator(".visit")).to_have_count(3)
    dates = page.locator(".visit-when").all_inner_texts()
    assert dates[0].startswith(timezone.localtime().strftime("%b %-d, %Y"))  # newest first
    camera.shoot("chart-after")
    context.close()


def tab_to(page, selector, limit=150):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_main_controls_work_from_the_keyboard(live_server, browser, request):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    member(clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera")
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    camera = Camera(page, SCREENSHOTS / request.node.name)

    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("sam")  # the username field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible(timeout=20_000)

    page.keyboard.type("A-1001")  # the search field has the focus
    expect(page.locator("#patient-rows tbody tr")).to_have_count(1)
    tab_to(page, "#patient-rows a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/patients/{patient.pk}/$"))

    page.goto(live_server.url + f"/patients/{patient.pk}/assessments/new/?tests=SLR")
    tab_to(page, '[name="SLR-left-hip-flexion-symptoms_reproduced"]')
    page.keyboard.press("ArrowRight")  # none -> partial
    tab_to(page, '[name="SLR-left-hip-flexion-symptom_kinds"][value="stretch"]')
    page.keyboard.press("Space")
    tab_to(page, '[name="SLR-left-hip-flexion-intensity"]')
    page.keyboard.type("4")
    camera.shoot("grid-keyboard-focus")

    assert page.is_checked('[name="SLR-left-hip-flexion-symptoms_reproduced"][value="partial"]')
    assert page.is_checked('[name="SLR-left-hip-flexion-symptom_kinds"][value="stretch"]')
    url = page.url
    page.keyboard.press("Enter")  # sends nothing: the focus and the input stay
    assert page.url == url
    expect(page.locator('[name="SLR-left-hip-flexion-intensity"]')).to_be_focused()
    expect(page.locator('[name="SLR-left-hip-flexion-intensity"]')).to_have_value("4")
    tab_to(page, 'button[value="save"]')
    page.keyboard.press("Enter")
    expect(page.get_by_text("Draft saved.")).to_be_visible(timeout=15000)
    finding = Assessment.objects.get().results.get().findings.get()
    assert (finding.symptoms_reproduced, finding.symptom_kinds, finding.intensity) == (
        "partial",
        ["stretch"],
        4,
    )
    context.close()


def test_an_admin_reads_and_filters_a_patients_audit_history(live_server, browser, request):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    member(clinic, Membership.Role.ADMIN, username="dana", first_name="Dana", last_name="Okafor")
    therapist = member(
        clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera"
    )
    viewer = member(clinic, Membership.Role.VIEWER, username="lee", first_name="Lee", last_name="Chen")
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    desk = from_browser(therapist, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0", "192.0.2.14")
    audit.record(desk, AuditEvent.Action.CREATE, patient)
    audit.record(desk, AuditEvent.Action.UPDATE, patient, fields=["phone", "email"])
    earlier_visits(patient, therapist)
    assessment = Assessment.objects.latest("performed_at")
    audit.record(desk, AuditEvent.Action.VIEW, assessment)
    audit.record(desk, AuditEvent.Action.SIGN, assessment)
    audit.record(
        from_browser(viewer, "Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) Safari/604.1", "198.51.100.7"),
        AuditEvent.Action.DENIED,
        patient,
        part="audit",
        status_code=403,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    camera = Camera(page, SCREENSHOTS / request.node.name)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/patients/{patient.pk}/")
    camera.shoot("chart")
    page.get_by_role("link", name="Audit history").click()

    expect(page.get_by_role("heading", name=re.compile("Audit history"))).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Audit history of Ada Byron"))
    expect(table.locator("tbody tr").first).to_contain_text("Viewed")
    expect(table.locator("tbody tr").first).to_contain_text("Dana Okafor")
    camera.shoot("audit-history")
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert page.locator(".table-scroll").evaluate("frame => frame.scrollWidth <= frame.clientWidth")
    assert not page_overflows(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Action", exact=True).select_option("denied")
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("Lee Chen")
    download_link = page.get_by_role("link", name=re.compile("Download CSV"))
    expect(download_link).to_have_attribute("href", re.compile(r"audit\.csv\?action=denied$"))
    camera.shoot("audit-history-filtered")

    page.get_by_label("From", exact=True).fill("2026-05-02")
    page.get_by_label("To", exact=True).fill("2026-05-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("The end of the range is before its start.")).to_be_visible()
    camera.shoot("audit-history-bad-range")
    context.close()
