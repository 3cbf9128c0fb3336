"""
What the clinician's pages say in words a person reads: styled pages for a refusal,
a missing page and a server fault; a language's name, not its code; a browser's
name on the audit page; messages announced with the role that fits them.
"""

import pytest
from django.urls import reverse

from clinic import audit
from clinic.models import AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_apps_own_page(client, therapist):
    client.force_login(therapist)

    response = client.get("/patients/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert 'href="/"' in response.text  # back to the patient list


def test_a_refusal_says_why_on_the_apps_own_page(client, viewer, patient):
    client.force_login(viewer)

    response = client.get(reverse("patient-edit", args=[patient.pk]))

    assert response.status_code == 403
    assert "You cannot do this here" in response.text
    assert "Your role in this clinic lets you read records, not change them." in response.text


def test_a_server_fault_page_needs_nothing_from_the_request():
    from django.template import loader

    page = loader.get_template("500.html").render()

    assert "Something went wrong on our side" in page
    assert '<html lang="en">' in page


def test_the_chart_names_the_patients_language(client, therapist, clinic):
    patient = PatientFactory(clinic=clinic, preferred_language="es")
    client.force_login(therapist)

    response = client.get(reverse("patient-chart", args=[patient.pk]))

    assert "<dt>Language</dt><dd>Spanish</dd>" in response.text


def test_an_unknown_language_code_is_shown_as_it_is(clinic):
    assert PatientFactory.build(clinic=clinic, preferred_language="xx").preferred_language_name == "xx"


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
            "Firefox 140 on Windows",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
            "Mobile Safari on iPad",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0 Safari/537.36",
            "Chrome 131 on Mac OS X",
        ),
        ("python-requests/2.32.3", "Python Requests 2"),
    ],
)
def test_an_audit_event_names_the_browser(agent, name):
    assert AuditEvent(user_agent=agent).browser == name


def test_an_agent_no_parser_knows_is_shortened_as_before():
    event = AuditEvent(user_agent="Completeness/1.0 (audit check)")

    assert event.browser == event.short_user_agent == "Completeness/1.0 (audit check)"


def test_the_audit_page_shows_browser_names(client, clinic_admin, patient):
    request = type(
        "Request",
        (),
        {
            "user": clinic_admin,
            "method": "GET",
            "path": "/",
            "META": {
                "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/139.0",
                "REMOTE_ADDR": "192.0.2.1",
            },
        },
    )()
    audit.record(request, AuditEvent.Action.VIEW, patient)
    client.force_login(clinic_admin)

    response = client.get(reverse("patient-audit", args=[patient.pk]))

    assert ">Firefox 139 on Linux</span>" in response.text


def test_a_success_message_is_a_status_and_an_error_an_alert(client, therapist, patient):
    client.force_login(therapist)

    saved = client.post(
        reverse("patient-edit", args=[patient.pk]),
        {
            "chart_number": patient.chart_number,
            "given_name": "Ada",
            "family_name": "Byron",
            "date_of_birth": "1985-03-02",
            "sex": "female",
            "preferred_language": "en",
        },
        follow=True,
    )

    assert '<p class="message success" role="status">' in saved.text
    assert '<ul class="messages" role="status">' not in saved.text
