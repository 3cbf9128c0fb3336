"""
The API's interactive docs work under production settings: gunicorn with
``DEBUG=false`` enforces the Content-Security-Policy (``script-src 'self'``), and a
real Chromium still sees Swagger UI list the API's operations, with no script
refused by the policy.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from ..servers import PRODUCTION, collected_static, gunicorn, migrated, scratch_database

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def production_server(tmp_path):
    collected_static()
    with scratch_database(tmp_path) as url, gunicorn({**PRODUCTION, "DATABASE_URL": migrated(url)}) as port:
        yield port


def test_the_api_docs_list_the_operations_under_the_production_policy(production_server):
    docs = f"http://127.0.0.1:{production_server}/api/v1/docs/"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        response = page.goto(docs)
        assert "script-src 'self'" in response.headers["content-security-policy"]

        operations = page.locator(".opblock")
        expect(operations.first).to_be_visible(timeout=30_000)
        assert operations.count() > 20
        expect(page.locator(".opblock-summary-path", has_text="/api/v1/patients/").first).to_be_visible()
        expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/token/").first).to_be_visible()
        assert refused == []
        browser.close()
