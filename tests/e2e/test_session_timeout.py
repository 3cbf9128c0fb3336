"""
A session that ends in the middle of a grid loses nothing: the page warns before
the limit, the Save that meets the sign-in page keeps what was typed in the
browser, and after signing in again the grid comes back with every value.
"""

import time

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from clinic.models import Membership
from tests.factories import PASSWORD, ClinicFactory, PatientFactory, member

from .conftest import SCREENSHOTS, Camera, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SESSION_SECONDS = 8
TYPED = {
    "SLR-left-range_at_onset_deg": "45",
    "SLR-left-range_at_max_deg": "60",
    "SLR-left-hip-flexion-location": "back of thigh",
    "SLR-left-hip-flexion-intensity": "5",
    "SLR-right-range_at_onset_deg": "75",
}


def test_a_grid_typed_when_the_session_ends_comes_back_after_signing_in(
    live_server, browser, settings, request
):
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    member(clinic, Membership.Role.THERAPIST, username="sam")
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    camera = Camera(page, SCREENSHOTS / request.node.name)
    sign_in(page, live_server.url, "sam")
    page.goto(live_server.url + f"/patients/{patient.pk}/assessments/new/?tests=SLR")

    page.get_by_label("Presenting complaint").fill("Pulling behind the left thigh")
    for name, value in TYPED.items():
        page.fill(f'[name="{name}"]', value)
    page.check('[name="SLR-left-hip-flexion-symptoms_reproduced"][value="full"]')
    page.check('[name="SLR-left-hip-flexion-symptom_kinds"][value="pain"]')

    expect(page.get_by_role("alert").filter(has_text="You will be signed out")).to_be_visible(
        timeout=SESSION_SECONDS * 1000
    )
    camera.shoot("warning")
    expect(page.get_by_role("link", name="Sign in again")).to_be_visible(timeout=SESSION_SECONDS * 1000)
    time.sleep(3)  # past the server's limit too, even after a late background request
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", name="Log in to Glide")).to_be_visible(timeout=15000)
    assert not Assessment.objects.exists()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("What you typed before being signed out is back")).to_be_visible()
    camera.shoot("restored")
    expect(page.get_by_label("Presenting complaint")).to_have_value("Pulling behind the left thigh")
    for name, value in TYPED.items():
        expect(page.locator(f'[name="{name}"]')).to_have_value(value)
    expect(page.locator('[name="SLR-left-hip-flexion-symptoms_reproduced"][value="full"]')).to_be_checked()
    expect(page.locator('[name="SLR-left-hip-flexion-symptom_kinds"][value="pain"]')).to_be_checked()

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    result = Assessment.objects.get().results.get(side="left")
    assert (result.range_at_onset_deg, result.range_at_max_deg) == (45, 60)
    assert result.findings.get().location == "back of thigh"
    page.goto(live_server.url + f"/patients/{patient.pk}/assessments/new/?tests=SLR")
    expect(page.get_by_label("Presenting complaint")).to_have_value(
        ""
    )  # the saved draft is gone from the browser
