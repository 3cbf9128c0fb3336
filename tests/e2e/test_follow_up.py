"""
A follow-up visit in a real Chromium, counted as a therapist's hands would do it:
the last visit's tests come ticked with their values beside each input, and the
same plan as last time is one press. Every click and key press is counted.

Before the carry-forward the same visit (SLR and slump on both sides, three
findings each, sign, a two-exercise plan, print) took 9 page loads, 77 clicks and
246 key presses; it must now take at most half of those clicks and key presses.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, Plan
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

from .conftest import SCREENSHOTS, Camera, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BEFORE = {"page loads": 9, "clicks": 77, "keys": 246}
STEPS = {
    "SLR": ("hip-flexion", "ankle-dorsiflexion", "neck-flexion"),
    "SLUMP": ("knee-extension", "ankle-dorsiflexion", "release-neck-flexion"),
}
LAST_TIME = {"symptom_kinds": ["pain", "stretch"], "location": "back of thigh"}


class Hands:
    """The therapist's clicks and key presses, counted; and the pages loaded."""

    def __init__(self, page):
        self.page, self.clicks, self.keys, self.loads = page, 0, 0, 0
        page.on("load", lambda _: self.count_load())
        page.on("dialog", self.confirm)

    def count_load(self):
        self.loads += 1

    def confirm(self, dialog):
        self.clicks += 1
        dialog.accept()

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def type(self, text):
        self.keys += len(text)
        self.page.keyboard.type(text)

    def press(self, key):
        self.keys += 1
        self.page.keyboard.press(key)


@pytest.fixture
def follow_up():
    """A patient seen a week ago: SLR and slump on both sides, three findings each,
    signed, and a plan of two exercises."""
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    therapist = member(
        clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera"
    )
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
    last_visit = AssessmentFactory(
        patient=patient, therapist=therapist, performed_at=timezone.now() - datetime.timedelta(days=7)
    )
    for code, steps in STEPS.items():
        test = standard_test(code)
        for side in ("left", "right"):
            result = TestResultFactory(
                assessment=last_visit, test=test, side=side, range_at_onset_deg=40, range_at_max_deg=55
            )
            for step_code in steps:
                StepFindingFactory(
                    result=result,
                    step=test.steps.get(code=step_code),
                    symptoms_reproduced="full",
                    intensity=6,
                    **LAST_TIME,
                )
    services.sign_assessment(last_visit, signed_by=therapist)
    plan = PlanFactory(
        patient=patient, therapist=therapist, assessment=last_visit, goals="Sit through a meeting"
    )
    for order, slug in enumerate(("active-hamstring-mobilization", "tibial-slider")):
        PlanItemFactory(plan=plan, exercise=standard_exercise(slug), order=order, reps=12)
    return patient


def test_a_follow_up_visit_takes_half_the_clicks_and_keys(live_server, browser, follow_up, request):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    camera = Camera(page, SCREENSHOTS / request.node.name)
    sign_in(page, live_server.url, "sam")
    page.goto(live_server.url + f"/patients/{follow_up.pk}/")
    hands = Hands(page)

    hands.click(page.get_by_role("link", name="New assessment"))
    expect(page.locator("[data-grid]:visible")).to_have_count(4)  # the last visit's tests, ticked
    expect(page.locator("[data-grid]:visible").first).to_contain_text("Last: 40°")
    for code, steps in STEPS.items():
        for side, onset in (("left", "55"), ("right", "70")):
            grid = page.locator(f"[data-grid][data-test-code='{code}'][data-side='{side}']")
            hands.click(grid.locator("input[name$='-range_at_onset_deg']"))
            hands.type(onset)
            hands.press("Tab")
            hands.type("80")
            for step_code in steps:
                row = grid.locator(f"tr[data-step='{step_code}']")
                hands.click(row.locator("label.seg-partial"))
                hands.click(row.get_by_role("button", name="Same kind and place"))
                hands.type("3")  # the intensity field has the focus
        expect(
            page.locator(f"[data-grid][data-test-code='{code}'] [data-side-difference]").first
        ).to_have_text("Difference between sides at P1: 15° (more than 10°)")
    camera.shoot("follow-up-grid")
    hands.click(page.get_by_role("button", name="Save and sign"))
    expect(page.get_by_text("The assessment is signed.")).to_be_visible()
    camera.shoot("follow-up-signed")

    hands.click(page.get_by_role("link", name="Same plan as last time"))
    expect(page.locator(".plan-item")).to_have_count(2)
    camera.shoot("follow-up-same-plan")
    hands.click(page.get_by_role("button", name="Save plan"))
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    with page.expect_popup() as popup:
        hands.click(page.get_by_role("button", name="Print handout"))
    popup.value.wait_for_load_state()
    assert popup.value.url.split("?")[0].endswith("handout.pdf")

    visit = Assessment.objects.latest("performed_at")
    assert visit.is_signed
    findings = [
        (
            finding.result.test.code,
            finding.result.side,
            finding.symptoms_reproduced,
            finding.location,
            finding.intensity,
        )
        for finding in visit.results.get(test__code="SLR", side="right").findings.select_related(
            "result__test"
        )
    ]
    assert findings == [("SLR", "right", "partial", "back of thigh", 3)] * 3
    assert visit.results.count() == 4
    assert {(result.range_at_onset_deg, result.range_at_max_deg) for result in visit.results.all()} == {
        (55, 80),
        (70, 80),
    }
    new_plan = Plan.objects.latest("created_at")
    assert new_plan.assessment == visit
    assert [(item.exercise.slug, item.reps) for item in new_plan.items.order_by("order")] == [
        ("active-hamstring-mobilization", 12),
        ("tibial-slider", 12),
    ]

    print(f"Follow-up visit: {hands.loads} page loads, {hands.clicks} clicks, {hands.keys} keys")
    assert hands.clicks <= BEFORE["clicks"] // 2
    assert hands.keys <= BEFORE["keys"] // 2
    assert hands.loads < BEFORE["page loads"]
