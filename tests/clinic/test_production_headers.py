"""Production mode sends a Content-Security-Policy that lets only the app's own
files run, with HSTS and secure cookies; in DEBUG the same policy is only reported."""

import json

from .test_settings import run_python

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "y" * 20 + "a-long-random-production-key-for-the-headers-1234567",
    "ALLOWED_HOSTS": "testserver",
}

FETCH_HEADERS = (
    "import django, json; django.setup(); "
    "from django.test import Client; from django.conf import settings; "
    "response = Client().get(PATH, secure=True); "
    "print(json.dumps({'headers': dict(response.headers), "
    "'cookies': [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]}))"
)


# Without collectstatic there is no manifest of static files, so a production page
# that links its stylesheet cannot render here; the API's answers have no page.
NO_PAGE = "/api/v1/auth/token/"


def fetch(path, **env):
    process = run_python(FETCH_HEADERS.replace("PATH", repr(path)), **env)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout.strip().splitlines()[-1])


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_production_enforces_a_policy_of_the_apps_own_files():
    headers = fetch(NO_PAGE, **PRODUCTION)["headers"]
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "Content-Security-Policy-Report-Only" not in headers


def test_production_sends_hsts_and_marks_cookies_secure():
    answer = fetch(NO_PAGE, **PRODUCTION)
    assert "max-age=31536000" in answer["headers"]["Strict-Transport-Security"]
    assert answer["cookies"] == [True, True]


def test_debug_mode_reports_the_same_policy_without_enforcing_it():
    # DEBUG's own error pages are exempt, so ask for a real page.
    headers = fetch("/admin/login/", DEBUG="true")["headers"]
    assert "Content-Security-Policy" not in headers
    assert directives(headers["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]
