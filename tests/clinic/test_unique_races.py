"""Two requests creating the same chart number at once both pass the serializer's
uniqueness check; the database refuses the second insert. That refusal answers 400
with the field's error (``clinic.integrity``), and nothing of the second is written."""

import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from assessments.models import NeuroTest
from clinic.models import AuditEvent, Patient

from ..api import api_client
from ..factories import PatientFactory

CLIENTS = 10


def new_patient(chart_number="A-2000"):
    return {"chart_number": chart_number, "given_name": "Grace", "family_name": "Hopper", "sex": "female"}


def another_request_wins_the_race(model, **fields):
    """Between this request's check and its insert, another request's insert of the
    same record lands: simulated by making it right before the model's save."""
    original_save = model.save

    def save(self, *args, **kwargs):
        if self._state.adding:
            model.objects.bulk_create([model(**fields)])
        return original_save(self, *args, **kwargs)

    return mock.patch.object(model, "save", save)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the refused insert ends its transaction
def test_a_chart_number_taken_at_the_same_moment_answers_400_on_the_chart_number(therapist, clinic):
    client = api_client(therapist)
    events_before = AuditEvent.objects.count()
    rival = {"clinic": clinic, "chart_number": "A-2000", "given_name": "Rival", "family_name": "R"}
    with another_request_wins_the_race(Patient, **rival):
        response = client.post("/api/v1/patients/", new_patient(), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "unique",
                "detail": "Another patient of this clinic has this chart number.",
                "attr": "chart_number",
            }
        ],
    }
    assert list(Patient.objects.values_list("given_name", flat=True)) == ["Rival"]
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the refused insert ends its transaction
def test_a_code_or_slug_taken_at_the_same_moment_answers_400_on_that_field(clinic_admin, clinic):
    client = api_client(clinic_admin)
    test_body = {
        "code": "MYTEST",
        "name": "My test",
        "nerve_bias": "sciatic",
        "region": "lower",
        "measured_joint": "hip flexion",
        "steps": [{"code": "start", "name": "Start", "kind": "base"}],
    }
    rival = {"clinic": clinic, "code": "MYTEST", "name": "Rival", "nerve_bias": "x", "region": "lower"}
    with another_request_wins_the_race(NeuroTest, **rival):
        response = client.post("/api/v1/tests/", test_body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["attr"] == "code"
    assert response.json()["errors"][0]["code"] == "unique"
    assert not NeuroTest.objects.filter(name="My test").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the refused insert ends its transaction
def test_the_page_answers_the_race_with_a_400_page_naming_the_problem(therapist, clinic):
    client = Client(raise_request_exception=False)
    client.force_login(therapist)
    rival = {"clinic": clinic, "chart_number": "A-2000", "given_name": "Rival", "family_name": "R"}
    with another_request_wins_the_race(Patient, **rival):
        response = client.post("/patients/new/", {**new_patient(), "preferred_language": "en"})
    assert response.status_code == 400
    assert b"Another patient of this clinic has this chart number." in response.content
    assert Patient.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_clients_creating_one_chart_number_at_once_get_one_201_and_nine_400(therapist, clinic):
    clients = [api_client(therapist) for _ in range(CLIENTS)]
    everyone_ready = threading.Barrier(CLIENTS)

    def create(number):
        try:
            everyone_ready.wait(timeout=30)
            response = clients[number].post("/api/v1/patients/", new_patient(), format="json")
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(create, range(CLIENTS)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [400] * (CLIENTS - 1)
    for status, body in answers:
        if status == 400:
            assert body["errors"] == [
                {
                    "code": "unique",
                    "detail": "Another patient of this clinic has this chart number.",
                    "attr": "chart_number",
                }
            ]
    assert Patient.objects.filter(chart_number="A-2000").count() == 1
    PatientFactory(clinic=clinic, chart_number="A-2001")  # the table still takes writes
