"""
Outcome measures in a real Chromium: a clinic admin loads the ODI's wording from a
Questionnaire file; a therapist records a PSFS and an ODI at two visits, from the
assessment pages, and reads on the chart whether each change passes its MCID.
Each page is photographed at 1280 and 390 px under
``test-artifacts/screenshots/<test name>/``; at 390 px no page scrolls sideways.
"""

import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from clinic.models import Membership
from outcomes.models import InstrumentWording, MeasureResponse
from tests.factories import PASSWORD, WORDING_FILES, AssessmentFactory, ClinicFactory, PatientFactory, member

from .conftest import CHROMIUM_ARGS, SCREENSHOTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WIDTHS = (1280, 390)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Camera:
    """Full-page screenshots at desktop and phone widths; at each width the page
    must not scroll sideways."""

    def __init__(self, page, directory):
        self.page, self.directory, self.count = page, directory, 0
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.png"):
            old.unlink()

    def shoot(self, name):
        self.count += 1
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            wide = self.page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                " > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ':' +"
                " Math.round(e.getBoundingClientRect().width) + ':' + getComputedStyle(e).overflowX)"
            )
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px: {wide}"
            self.page.screenshot(path=self.directory / f"{self.count:02d}-{name}-{width}.png", full_page=True)
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()


def record_at_visit(page, camera, visit, code, *, taken_at, answers, activities=None, shoot=None):
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + f"/assessments/{visit.pk}/")
    page.get_by_role("link", name="Record a measure").click()
    page.get_by_role("link", name=f"Record the {code}").click()
    page.fill('[name="taken_at"]', taken_at.strftime("%Y-%m-%dT%H:%M"))
    for link_id, name in (activities or {}).items():
        page.fill(f'[name="activity-{link_id}"]', name)
    for link_id, value in answers.items():
        page.check(f'[name="item-{link_id}"][value="{value}"]')
    if shoot:
        camera.shoot(shoot)
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_text(f"{code} recorded")).to_be_visible()


def test_a_therapist_follows_a_psfs_and_an_odi_over_two_visits(live_server, browser, request):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    member(clinic, Membership.Role.ADMIN, username="dana", first_name="Dana", last_name="Okafor")
    therapist = member(
        clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera"
    )
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    first_visit = AssessmentFactory(
        patient=patient, therapist=therapist, performed_at=timezone.now() - datetime.timedelta(days=21),
        complaint="Low back pain when sitting",
    )  # fmt: skip
    second_visit = AssessmentFactory(patient=patient, therapist=therapist, complaint="Sitting is easier")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    camera = Camera(page, SCREENSHOTS / request.node.name)

    # The admin loads the clinic's ODI wording from a Questionnaire file.
    log_in(page, live_server.url, "dana")
    page.goto(live_server.url + "/measures/")
    expect(page.get_by_role("heading", name="Outcome measures")).to_be_visible()
    page.set_input_files("#questionnaire-odi", str(WORDING_FILES / "odi-questionnaire.json"))
    page.get_by_role("button", name="Load the ODI wording").click()
    expect(page.get_by_text("The ODI wording is loaded for Harbour Physio.")).to_be_visible()
    page.get_by_label("Use the ODI").check()
    page.get_by_label("ODI every N weeks").fill("2")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_text("The schedule of measures is saved.")).to_be_visible()
    camera.shoot("measures-settings")
    assert InstrumentWording.objects.filter(clinic=clinic, instrument__code="odi").exists()
    page.get_by_role("button", name="Log out").click()

    # The therapist sees the ODI due, then records at the first visit.
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + f"/patients/{patient.pk}/")
    expect(page.get_by_text("ODI due · first visit")).to_be_visible()
    camera.shoot("chart-due")

    activities = {
        "activity-1": "Sitting through a film",
        "activity-2": "Tying my shoes",
        "activity-3": "Gardening",
    }
    record_at_visit(
        page, camera, first_visit, "PSFS", taken_at=first_visit.performed_at,
        answers={"activity-1": 2, "activity-2": 4, "activity-3": 3}, activities=activities, shoot="psfs-form",
    )  # fmt: skip
    odi_first = dict(zip([f"odi-{n}" for n in range(1, 11)], [3, 2, 3, 2, 3, 2, 2, 1, 2, 2], strict=True))
    record_at_visit(
        page,
        camera,
        first_visit,
        "ODI",
        taken_at=first_visit.performed_at,
        answers=odi_first,
        shoot="odi-form",
    )

    # The second visit: the PSFS much better, the ODI a little.
    record_at_visit(
        page, camera, second_visit, "PSFS", taken_at=second_visit.performed_at,
        answers={"activity-1": 6, "activity-2": 7, "activity-3": 5}, activities=activities,
    )  # fmt: skip
    odi_second = dict(zip([f"odi-{n}" for n in range(1, 11)], [2, 2, 2, 2, 2, 2, 2, 1, 2, 2], strict=True))
    record_at_visit(page, camera, second_visit, "ODI", taken_at=second_visit.performed_at, answers=odi_second)

    assert MeasureResponse.objects.filter(patient=patient, assessment=first_visit).count() == 2
    assert MeasureResponse.objects.filter(patient=patient, assessment=second_visit).count() == 2

    page.goto(live_server.url + f"/patients/{patient.pk}/")
    measures = page.locator(".outcome-measures")
    expect(measures.get_by_text(re.compile(
        r"The PSFS has improved by 3 points since the first score: a clinically important change"
    ))).to_be_visible()  # fmt: skip
    expect(measures.get_by_text(re.compile(
        r"The ODI has improved by 6 percentage points since the first score: less than the 10 percentage"
    ))).to_be_visible()  # fmt: skip
    expect(measures.locator("svg.progress-chart")).to_have_count(2)
    expect(measures.locator("rect.mcid-band")).to_have_count(2)
    expect(page.get_by_text("ODI due")).to_have_count(0)
    camera.shoot("chart-measures")

    page.locator(".outcome-measures .measure-series").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("Oswestry Disability Index"))).to_be_visible()
    camera.shoot("odi-response")
    context.close()
