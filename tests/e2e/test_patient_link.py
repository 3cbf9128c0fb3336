"""
The patient's link end to end in a real Chromium: the therapist makes a link and
prints the handout; the patient scans its QR code (read back from the PDF), opens
the page on a 390 px phone (every page passing axe-core), gives the year of birth,
and logs three days, one with pain 7 and worse an hour later; the therapist's chart
shows the adherence, the pain trend and the alert. Revoking the link closes the page
and the API at once, and a therapist of another clinic sees none of it. Screenshots
under ``test-artifacts/screenshots/<test name>/``.
"""

import datetime
import os
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from clinic.models import Membership
from portal.models import Alert, PatientLink, SessionLog
from tests.factories import (
    PASSWORD,
    ClinicFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    member,
    standard_exercise,
)

from .conftest import CHROMIUM_ARGS, SCREENSHOTS, serious_axe_violations

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def sign_in(context, url, username):
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    return page


def qr_codes_of_first_page(pdf, directory):
    (directory / "handout.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", "handout.pdf", "page"],
        cwd=directory,
        check=True,
    )
    image = Image.open(directory / "page.png")
    return [
        code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_a_session(page, day, *, pain, later, done="Yes, all of it"):
    page.get_by_label("Which day was it?").fill(day.isoformat())
    for exercise in ("Active hamstring mobilization", "Seated sciatic nerve slider"):
        page.get_by_role("group", name=re.compile(exercise)).get_by_label(done, exact=True).check()
    page.get_by_role("group", name=re.compile("Pain during")).get_by_label(str(pain), exact=True).check()
    page.get_by_role("group", name=re.compile("an hour later")).get_by_label(later, exact=True).check()
    page.get_by_role("button", name="Save this session").click()
    expect(page.get_by_text("Your session is saved")).to_be_visible()


def test_a_patient_logs_through_the_handouts_link_and_the_therapist_sees_it(
    live_server, chromium, request, tmp_path
):
    clinic = ClinicFactory(
        name="Harbour Physio", slug="harbour", time_zone="America/Denver", phone="+1 555 0100"
    )
    member(clinic, Membership.Role.THERAPIST, username="sam", first_name="Sam", last_name="Rivera")
    patient = PatientFactory(
        clinic=clinic,
        given_name="Ada",
        family_name="Byron",
        chart_number="A-1001",
        date_of_birth=datetime.date(1985, 3, 2),
    )
    today = clinic.today()
    plan = PlanFactory(
        patient=patient,
        therapist=clinic.memberships.get().user,
        start_date=today - datetime.timedelta(days=3),
        review_date=today + datetime.timedelta(days=11),
    )
    PlanItemFactory(plan=plan, order=1, times_per_day=1, days_per_week=7)
    PlanItemFactory(
        plan=plan, order=2, exercise=standard_exercise("sciatic-seated-slump-slider"), times_per_day=1
    )
    shots = SCREENSHOTS / request.node.name
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()

    # The therapist makes the link on the plan's page and prints the handout.
    clinician = chromium.new_context(viewport={"width": 1280, "height": 900})
    clinician.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    desk = sign_in(clinician, live_server.url, "sam")
    desk.goto(f"{live_server.url}/plans/{plan.pk}/")
    desk.get_by_role("button", name="Make a new link for the patient").click()
    expect(desk.get_by_text("The patient's link is ready")).to_be_visible()
    shown_address = desk.get_by_label("The patient's address").input_value()
    desk.get_by_role("button", name="Copy the address").click()
    expect(desk.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    assert desk.evaluate("navigator.clipboard.readText()") == shown_address
    handout = clinician.request.get(f"{live_server.url}/plans/{plan.pk}/handout.pdf")
    assert handout.headers["content-type"] == "application/pdf"
    link = PatientLink.objects.get()
    assert (
        qr_codes_of_first_page(handout.body(), tmp_path) == [shown_address] == [live_server.url + link.path]
    )

    # The patient scans the code with a phone: the year once, then the plan.
    phone_context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(shown_address)
    expect(phone.get_by_role("heading", name="Welcome")).to_be_visible()
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "01-year-390.png", full_page=True)
    assert serious_axe_violations(phone) == []
    phone.get_by_label("The year you were born").fill("1985")
    phone.get_by_role("button", name="Open my exercises").click()
    expect(phone.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    expect(phone.get_by_text("Byron")).to_have_count(0)
    expect(phone.get_by_text("A-1001")).to_have_count(0)
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "02-plan-390.png", full_page=True)
    assert serious_axe_violations(phone) == []

    # Three days of logs, the last with pain 7 and worse an hour later.
    log_a_session(phone, today - datetime.timedelta(days=2), pain=2, later="Better")
    log_a_session(phone, today - datetime.timedelta(days=1), pain=3, later="The same", done="Some of it")
    log_a_session(phone, today, pain=7, later="Worse")
    advice = phone.get_by_role("alert")
    expect(advice).to_contain_text("pins and needles or numbness that does not go away")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=shots / "03-logged-with-stop-rules-390.png", full_page=True)
    assert serious_axe_violations(phone) == []
    assert SessionLog.objects.count() == 3
    assert SessionLog.objects.get(date=today).stop_advice_shown_at is not None

    # The therapist's chart: adherence, the pain trend and the alert.
    desk.goto(f"{live_server.url}/patients/{patient.pk}/")
    log_panel = desk.locator(".portal-panel")
    expect(log_panel.get_by_role("heading", name="Home exercise log")).to_be_visible()
    expect(log_panel.locator("tr.adherence-week")).not_to_have_count(0)
    expect(log_panel.get_by_role("img", name=re.compile(r"latest 7\W10"))).to_be_visible()
    expect(log_panel.get_by_text("High pain")).to_be_visible()
    desk.screenshot(path=shots / "04-chart-1280.png", full_page=True)
    assert Alert.objects.get().kind == Alert.Kind.PAIN

    weeks = clinician.request.get(f"{live_server.url}/api/v1/plans/{plan.pk}/adherence/").json()
    assert sum(week["logged"] for week in weeks["weeks"]) == 3

    # Revoking the link closes the page and the API at once.
    desk.goto(f"{live_server.url}/plans/{plan.pk}/")
    desk.get_by_role("button", name="Revoke").click()
    expect(desk.get_by_text("The link is revoked")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", name="This link is not open")).to_be_visible()
    expect(phone.get_by_text("Active hamstring")).to_have_count(0)
    phone.screenshot(path=shots / "05-revoked-390.png", full_page=True)
    assert serious_axe_violations(phone) == []
    api = phone_context.request.get(
        f"{live_server.url}/api/v1/portal/plan/",
        headers={"Authorization": f"PatientLink {link.secret}", "X-Birth-Year": "1985"},
    )
    assert api.status == 404

    # A therapist of another clinic sees none of it.
    other = ClinicFactory(name="Hillside Physio", slug="hillside")
    member(other, Membership.Role.THERAPIST, username="hilda")
    stranger = sign_in(
        chromium.new_context(viewport={"width": 1280, "height": 900}), live_server.url, "hilda"
    )
    assert stranger.goto(f"{live_server.url}/patients/{patient.pk}/").status == 404
    assert stranger.goto(f"{live_server.url}/plans/{plan.pk}/").status == 404
    stranger.goto(f"{live_server.url}/alerts/")
    expect(stranger.get_by_text("Ada")).to_have_count(0)
    expect(stranger.get_by_text("No open alerts.")).to_be_visible()
