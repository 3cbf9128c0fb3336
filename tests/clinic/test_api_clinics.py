"""The caller's clinics over the API."""

import pytest

from ..api import api_client, audit_actions

pytestmark = pytest.mark.django_db

URL = "/api/v1/clinics/"


def test_the_caller_sees_their_clinics_with_their_role(therapist, other_clinic):
    rows = api_client(therapist).get(URL).json()["results"]
    assert [(row["slug"], row["role"]) for row in rows] == [("harbour", "therapist")]


def test_an_admin_changes_the_clinics_details(clinic_admin, clinic):
    response = api_client(clinic_admin).patch(
        f"{URL}{clinic.pk}/", {"phone": "+1 555 0142", "handout_paper_size": "a4"}, format="json"
    )
    assert response.status_code == 200, response.json()
    clinic.refresh_from_db()
    assert (clinic.phone, clinic.handout_paper_size, clinic.version) == ("+1 555 0142", "a4", 2)
    assert audit_actions() == ["update"]


def test_a_therapist_cannot_change_the_clinic(therapist, clinic):
    response = api_client(therapist).patch(f"{URL}{clinic.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 403
    clinic.refresh_from_db()
    assert clinic.phone != "1"


def test_the_slug_cannot_be_changed(clinic_admin, clinic):
    api_client(clinic_admin).patch(f"{URL}{clinic.pk}/", {"slug": "renamed"}, format="json")
    clinic.refresh_from_db()
    assert clinic.slug == "harbour"


def test_clinics_are_not_created_or_deleted_over_the_api(clinic_admin, clinic):
    client = api_client(clinic_admin)
    assert client.post(URL, {"name": "New"}, format="json").status_code == 405
    response = client.delete(f"{URL}{clinic.pk}/")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"
