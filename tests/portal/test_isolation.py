"""One link never reads or writes another plan: not with its cookie, not with its
secret, not by naming another plan's session. (The members' side of the new routes
is in tests/test_isolation.py.)"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from portal.models import SessionLog

from ..factories import PatientFactory, PatientLinkFactory, PlanItemFactory, SessionLogFactory
from .conftest import link_headers, session_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_link(other_clinic):
    patient = PatientFactory(clinic=other_clinic, given_name="Grace", family_name="Hopper")
    return PatientLinkFactory(plan=PlanItemFactory(plan__patient=patient, plan__clinic=other_clinic).plan)


def test_the_year_given_for_one_link_does_not_open_another(link, other_link):
    phone = Client()
    phone.post(link.path, {"birth_year": "1985"})

    response = phone.get(other_link.path)

    assert 'name="birth_year"' in response.content.decode()
    assert "Grace" not in response.content.decode()


def test_a_cookie_copied_onto_another_links_address_opens_nothing(link, other_link):
    phone = Client()
    cookie = phone.post(link.path, {"birth_year": "1985"}).cookies["glide_portal"].value
    phone.cookies["glide_portal"] = cookie
    phone.cookies["glide_portal"]["path"] = other_link.path

    assert "Grace" not in phone.get(other_link.path).content.decode()


def test_a_link_cannot_open_or_change_another_plans_session(link, other_link):
    theirs = SessionLogFactory(link=other_link, pain=1, note="Grace's note")
    phone = Client()
    phone.post(link.path, {"birth_year": "1985"})
    form = {"date": theirs.date.isoformat(), "pain": "9", "an_hour_later": "worse"}

    shown = phone.get(f"{link.path}sessions/{theirs.pk}/")
    changed = phone.post(f"{link.path}sessions/{theirs.pk}/", form)

    assert (shown.status_code, changed.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.pain, theirs.note) == (1, "Grace's note")


def test_the_api_logs_only_into_the_links_own_plan(link, other_link):
    payload = session_payload(other_link.plan)

    response = APIClient().post("/api/v1/portal/sessions/", payload, format="json", **link_headers(link))

    assert response.status_code == 400
    assert not SessionLog.objects.exists()


def test_a_secret_with_another_patients_year_opens_nothing(link, other_link):
    other_link.plan.patient.date_of_birth = other_link.plan.patient.date_of_birth.replace(year=1970)
    other_link.plan.patient.save()

    assert APIClient().get("/api/v1/portal/plan/", **link_headers(link, year=1970)).status_code == 403


def test_a_member_signed_in_gains_nothing_on_a_patient_route(link, outsider):
    client = APIClient()
    client.force_authenticate(outsider)

    assert client.get("/api/v1/portal/plan/").status_code == 404
