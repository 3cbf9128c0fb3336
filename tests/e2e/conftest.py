"""
What every browser test shares: a real Chromium, a camera that photographs each
page at desktop, tablet and phone widths, and axe-core to check a page for
accessibility faults (installed from the npm registry by ``make test``).
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the test
# makes between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_SCRIPT = Path(__file__).resolve().parent / "tools" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 768, 390)
DESKTOP, PHONE = 1280, 390


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Camera:
    """Full-page screenshots of each step, at every width, numbered in order."""

    def __init__(self, page, directory):
        self.page, self.directory, self.count = page, directory, 0
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.png"):
            old.unlink()

    def shoot(self, name):
        self.count += 1
        size = self.page.viewport_size
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=self.directory / f"{self.count:02d}-{name}-{width}.png", full_page=True)
        self.page.set_viewport_size(size)


@pytest.fixture
def camera_for(request):
    return lambda page: Camera(page, SCREENSHOTS / request.node.name)


def sign_in(page, base_url, username, password=PASSWORD):
    """Sign in afresh as ``username`` (whoever was signed in before)."""
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def serious_axe_violations(page):
    """axe-core's critical and serious findings on the page as it stands (WCAG 2.2
    A and AA rules and axe's best practices), one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + json.dumps([node["target"] for node in violation["nodes"][:5]])
        for violation in results["violations"]
        if violation["impact"] in ("critical", "serious")
    ]


def page_overflows(page):
    """Whether the page scrolls sideways (wider content than the window)."""
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
