"""
The forms change in place and keep the therapist's place: the plan builder adds,
moves and removes without a reload, the focus on what changed; the error summary
takes the focus and its links lead into each field; an error does not move the
inputs beside it; the sticky save bar never covers the field that has the focus.
"""

import pytest
from playwright.sync_api import expect

from clinic.models import Membership
from tests.factories import ClinicFactory, PatientFactory, member, standard_exercise

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def patient():
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    member(clinic, Membership.Role.THERAPIST, username="sam")
    return PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron")


@pytest.fixture
def page(browser, live_server, patient):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, "sam")
    return page


def still_the_same_page(page):
    return page.evaluate("() => window.glideTestMarker === 1")


def test_the_plan_builder_changes_in_place_with_the_focus_on_what_changed(page, live_server, patient):
    hamstring, tibial = standard_exercise("active-hamstring-mobilization"), standard_exercise("tibial-slider")
    page.goto(live_server.url + f"/patients/{patient.pk}/plans/new/")
    page.evaluate("() => { window.glideTestMarker = 1; }")

    page.get_by_role("button", name=f"Add {hamstring.name}").click()
    expect(page.locator(".plan-item")).to_have_count(1)
    expect(page.locator('[name="item-0-sets"]')).to_be_focused()
    page.get_by_role("button", name=f"Add {tibial.name}").click()
    expect(page.locator(".plan-item")).to_have_count(2)
    page.fill('[name="item-1-reps"]', "15")

    page.get_by_role("button", name=f"Move {tibial.name} up").click()
    expect(page.locator(".plan-item legend").first).to_contain_text(tibial.name)
    expect(page.get_by_role("button", name=f"Move {tibial.name} down")).to_be_focused()
    expect(page.locator('[name="item-0-reps"]')).to_have_value("15")
    expect(page.get_by_role("status").filter(has_text="now number 1")).to_be_attached()

    page.get_by_role("button", name=f"Remove {hamstring.name}").click()
    expect(page.locator(".plan-item")).to_have_count(1)
    assert still_the_same_page(page)

    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()


def test_the_error_summary_takes_the_focus_and_leads_to_each_field(page, live_server, patient):
    page.goto(live_server.url + f"/patients/{patient.pk}/assessments/new/?tests=SLR")
    page.fill('[name="SLR-left-range_at_onset_deg"]', "60")
    page.fill('[name="SLR-left-range_at_max_deg"]', "50")
    page.fill('[name="SLR-left-hip-flexion-intensity"]', "11")
    page.get_by_role("button", name="Save draft").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link", name="intensity", exact=False).click()
    expect(page.locator('[name="SLR-left-hip-flexion-intensity"]')).to_be_focused()
    summary.get_by_role("link", name="P2", exact=False).click()
    expect(page.locator('[name="SLR-left-range_at_max_deg"]')).to_be_focused()


def test_an_error_does_not_move_the_inputs_beside_it(page, live_server, patient):
    def offsets():
        return page.evaluate(
            """() => {
              const grid = document.querySelector("[data-grid][data-side=left]:not([hidden])")
                .getBoundingClientRect();
              return ["range_at_onset_deg", "range_at_max_deg", "differentiation"].map((name) => {
                const box = document.querySelector(`[name="SLR-left-${name}"]`).getBoundingClientRect();
                return [Math.round(box.left - grid.left), Math.round(box.top - grid.top)];
              });
            }"""
        )

    page.goto(live_server.url + f"/patients/{patient.pk}/assessments/new/?tests=SLR")
    before = offsets()
    page.fill('[name="SLR-left-range_at_onset_deg"]', "60")
    page.fill('[name="SLR-left-range_at_max_deg"]', "50")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()

    assert offsets() == before


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sticky_save_bar_never_covers_the_focused_field(page, live_server, patient, width):
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(live_server.url + f"/patients/{patient.pk}/assessments/new/?tests=SLR")
    page.locator('[name="SLR-left-range_at_onset_deg"]').focus()
    covered = []
    for _ in range(60):
        page.keyboard.press("Tab")
        overlap = page.evaluate(
            """() => {
              const bar = document.querySelector(".action-bar.sticky").getBoundingClientRect();
              const focused = document.activeElement;
              if (focused.closest(".action-bar")) { return null; }
              const box = focused.getBoundingClientRect();
              return box.bottom > bar.top + 1 ? focused.name || focused.tagName : null;
            }"""
        )
        if overlap:
            covered.append(overlap)
    assert covered == []
