"""
A measure from the therapist's chart to the patient's phone and back, in a real
Chromium: the therapist sends a PSFS; the patient, on a 390 px phone, finds it on
their link's page, names and rates three activities (after one refused try) and
sends it; the chart shows the score. Every page the patient sees passes axe-core
and never scrolls sideways. Screenshots under ``test-artifacts/screenshots/<test name>/``.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from clinic.models import Membership
from outcomes.models import MeasureResponse
from tests.factories import (
    ClinicFactory,
    PatientFactory,
    PatientLinkFactory,
    PlanFactory,
    PlanItemFactory,
    member,
)

from .conftest import SCREENSHOTS, page_overflows, serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def look(page, shots, name, problems):
    """The page as the patient sees it: axe's serious findings, any sideways scroll."""
    problems.extend(f"{name}: {finding}" for finding in serious_axe_violations(page))
    if page_overflows(page):
        problems.append(f"{name} scrolls sideways at 390 px")
    page.screenshot(path=shots / f"{name}-390.png", full_page=True)


def test_a_patient_answers_a_psfs_on_their_phone_and_the_chart_shows_it(live_server, browser, request):
    clinic = ClinicFactory(name="Harbour Physio", slug="harbour", phone="+1 555 0100")
    therapist = member(
        clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera"
    )
    patient = PatientFactory(
        clinic=clinic, given_name="Ada", family_name="Byron", date_of_birth=datetime.date(1985, 3, 2)
    )
    plan = PlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan)
    link = PatientLinkFactory(plan=plan)
    shots = SCREENSHOTS / request.node.name
    shots.mkdir(parents=True, exist_ok=True)
    problems = []

    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(desk, live_server.url, "sam")
    desk.goto(f"{live_server.url}/patients/{patient.pk}/")
    desk.get_by_label("Send to the patient").select_option("psfs")
    desk.get_by_role("button", name="Send", exact=True).click()
    expect(desk.get_by_text("Waiting for the patient: PSFS")).to_be_visible()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(live_server.url + link.path)
    phone.get_by_label("The year you were born").fill("1985")
    phone.get_by_role("button", name="Open my exercises").click()
    expect(phone.get_by_role("heading", name="Questions from your therapist")).to_be_visible()
    look(phone, shots, "01-plan-with-questions", problems)

    phone.get_by_role("link", name=re.compile("Patient-Specific Functional Scale")).click()
    expect(phone.get_by_role("heading", name="Patient-Specific Functional Scale")).to_be_visible()
    look(phone, shots, "02-questions", problems)

    first = phone.get_by_role("group", name=re.compile("Activity 1"))
    # Each question reads inside its box, not over the box's top border.
    question, box = first.locator("legend").bounding_box(), first.bounding_box()
    assert question["y"] >= box["y"] + 8
    first.get_by_role("radio", name="4", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("Name the activity you rated.")).to_be_visible()
    look(phone, shots, "03-questions-with-an-error", problems)
    assert not MeasureResponse.objects.exists()

    for number, (activity, rating) in enumerate((("Stairs", "4"), ("Driving", "6"), ("Sitting", "5")), 1):
        group = phone.get_by_role("group", name=re.compile(f"Activity {number}"))
        group.get_by_label("Which activity?").fill(activity)
        group.get_by_role("radio", name=rating, exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("Your answers are with your therapist")).to_be_visible()
    expect(phone.get_by_role("heading", name="Questions from your therapist")).to_have_count(0)
    look(phone, shots, "04-thank-you", problems)

    desk.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(desk.get_by_text("Waiting for the patient")).to_have_count(0)
    expect(desk.locator(".measure-series").filter(has_text="PSFS")).to_contain_text("5")
    desk.screenshot(path=shots / "05-chart-1280.png", full_page=True)
    response = MeasureResponse.objects.get()
    assert (response.source, response.score) == ("patient", 5)
    assert not problems, "\n".join(problems)
