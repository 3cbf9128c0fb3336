import pytest
from django.db import connection

from clinic.models import Membership

from .factories import ClinicFactory, PatientFactory, member


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Harbour Physio", slug="harbour")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Hillside Physio", slug="hillside")


@pytest.fixture
def therapist(clinic):
    return member(clinic, Membership.Role.THERAPIST, username="thera")


@pytest.fixture
def clinic_admin(clinic):
    return member(clinic, Membership.Role.ADMIN, username="boss")


@pytest.fixture
def viewer(clinic):
    return member(clinic, Membership.Role.VIEWER, username="reader")


@pytest.fixture
def outsider(other_clinic):
    """A therapist of another clinic: must never see ``clinic``'s records."""
    return member(other_clinic, Membership.Role.THERAPIST, username="outsider")


@pytest.fixture
def patient(clinic):
    return PatientFactory(clinic=clinic, given_name="Ada", family_name="Byron", chart_number="A-1001")
