"""Naming an exercise's days in the plan builder, in a real Chromium: the days a week
follow the days ticked, and the plan's page names them."""

import pytest
from playwright.sync_api import expect

from assessments.models import PlanItem
from clinic.models import Membership
from tests.factories import ClinicFactory, PatientFactory, PlanFactory, PlanItemFactory, member

from .conftest import PHONE, Camera, page_overflows, serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_therapist_names_the_days_of_an_exercise(live_server, browser, camera_for):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    therapist = member(clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam")
    patient = PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron")
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan, days_per_week=7)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    camera: Camera = camera_for(page)
    sign_in(page, live_server.url, "sam")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible(timeout=20_000)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")

    days_a_week = page.locator('[name="item-0-days_per_week"]')
    expect(days_a_week).to_have_value("7")
    page.get_by_role("checkbox", name="Monday").check()
    page.get_by_role("checkbox", name="Thursday").check()
    expect(days_a_week).to_have_value("2")
    expect(days_a_week).to_have_attribute("readonly", "")
    camera.shoot("days-ticked")
    assert serious_axe_violations(page) == []

    page.get_by_role("checkbox", name="Thursday").uncheck()
    expect(days_a_week).to_have_value("1")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    expect(page.get_by_text("every day")).to_have_count(0)
    expect(page.locator("table.table tbody td").nth(2)).to_contain_text("Monday")
    camera.shoot("plan")

    item = PlanItem.objects.get()
    assert (item.weekdays, item.days_per_week) == (["mon"], 1)


def test_the_days_fit_a_phone(live_server, browser):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour")
    therapist = member(clinic, Membership.Role.THERAPIST, username="sam")
    plan = PlanFactory(patient=PatientFactory(clinic=clinic), therapist=therapist)
    PlanItemFactory(plan=plan, weekdays=["tue", "sat"], days_per_week=2)

    page = browser.new_context(viewport={"width": PHONE, "height": 800}).new_page()
    sign_in(page, live_server.url, "sam")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible(timeout=20_000)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")

    expect(page.get_by_role("checkbox", name="Saturday")).to_be_checked()
    expect(page.locator('[name="item-0-days_per_week"]')).to_have_attribute("readonly", "")
    assert not page_overflows(page)
