import os

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


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _sign_in_lockout_off_unless_a_test_turns_it_on(request, settings):
    """django-axes needs the request in ``authenticate()``, which the test client's
    ``login()`` does not pass. Tests of the lockout set ``settings.AXES_ENABLED = True``
    and sign in through a real page. Redis or, without it, the table ``glide_throttle``
    holds the API's throttle counts: each test that can reach them starts with none."""
    from django.core.cache import cache

    from clinic.throttling import forget_all_counts

    settings.AXES_ENABLED = False
    if request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("db")
        cache.clear()
        forget_all_counts()


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Every member the factories make gets a hashed password; at full strength each
    takes about half a second. Tests of signing in work the same with a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_url():
    """A Redis database for tests that need one (``GLIDE_TEST_REDIS_URL``, by default
    database 1 on this machine), emptied before and after. Without a Redis answering
    the test is skipped, unless ``GLIDE_REQUIRE_SERVICES=1`` (CI), where it fails."""
    import redis

    url = os.environ.get("GLIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("GLIDE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"GLIDE_REQUIRE_SERVICES=1 but no Redis answers at {url}: {error}")
        pytest.skip(f"no Redis answers at {url}")
    client.flushdb()
    yield url
    client.flushdb()
    client.close()
