"""
The bulk export on real processes: gunicorn web servers and a ``celery worker``
over one database and one Redis. Kick-off, polling and manifest over HTTP; a worker
killed halfway and started again still ends the export; a second server answers the
status of an export started on the first.

Skipped where no Redis answers, except on CI (``GLIDE_REQUIRE_SERVICES=1``).
"""

import json
import time

import pytest
from fhir.resources.R4B import get_fhir_model_class

from ..servers import exchange, gunicorn, manage
from .processes import Worker, require_redis, scratch_database, token_for

PATIENTS = 200
CLINIC = "generated-1"
ADMIN = "generated-1-therapist-1"  # the generated clinic's first member is its admin


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A database with a generated clinic, the environment every process shares,
    and an admin's token."""
    redis_url = require_redis()
    directory = tmp_path_factory.mktemp("workers")
    with scratch_database(directory) as database_url:
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EXPORT_ROOT": str(directory / "exports"),
            "GLIDE_EXPORT_CHUNK_SIZE": "10",
            # A killed worker's export is picked up again within seconds.
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "GLIDE_JOB_STALE_SECONDS": "3",
        }
        manage("generate_dataset", "--patients", str(PATIENTS), "--clinics", "1", env=env)
        yield {"env": env, "token": token_for(ADMIN, env), "directory": directory}


@pytest.fixture
def worker(shared, tmp_path):
    running = Worker(shared["env"], tmp_path / "worker.log").start()
    yield running
    running.stop()


def authorised(shared, **headers):
    return {"Authorization": f"Token {shared['token']}", **headers}


def kick_off(port, shared):
    status, headers, body = exchange(
        port,
        "GET",
        "/fhir/$export",
        authorised(shared, Prefer="respond-async", Accept="application/fhir+json"),
    )
    assert status == 202, body
    return "/" + headers["Content-Location"].split("/", 3)[3]


def poll(port, shared, status_path, *, until=lambda status, headers: status != 202, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        status, headers, body = exchange(port, "GET", status_path, authorised(shared))
        if until(status, headers):
            return status, headers, body
        assert status == 202, body
        assert time.monotonic() < deadline, f"still {headers.get('X-Progress')} after {timeout} s"
        time.sleep(float(headers.get("Retry-After", 1)) / 10)


def read_files(port, shared, manifest):
    files = {}
    for entry in manifest["output"]:
        path = "/" + entry["url"].split("/", 3)[3]
        status, _, body = exchange(port, "GET", path, authorised(shared))
        assert status == 200
        files[entry["type"]] = [json.loads(line) for line in body.decode().splitlines()]
        assert len(files[entry["type"]]) == entry["count"]
    return files


def assert_complete_and_valid(files):
    assert len(files["Patient"]) == PATIENTS
    for resource_type, resources in files.items():
        model = get_fhir_model_class(resource_type)
        for resource in resources:
            model.model_validate(resource)


def test_an_export_started_on_one_server_is_run_by_the_worker_and_polled_on_another(shared, worker):
    with gunicorn(shared["env"]) as first, gunicorn(shared["env"]) as second:
        status_path = kick_off(first, shared)

        status, _, manifest = poll(second, shared, status_path)

        assert status == 200, manifest
        assert_complete_and_valid(read_files(second, shared, manifest))


def test_a_worker_killed_halfway_and_started_again_still_completes_the_export(shared, worker, tmp_path):
    def halfway(status, headers):
        progress = headers.get("X-Progress", "")
        return status != 202 or (progress[:1].isdigit() and not progress.startswith("0%"))

    with gunicorn(shared["env"]) as port:
        status_path = kick_off(port, shared)
        status, _, _ = poll(port, shared, status_path, until=halfway)
        assert status == 202, "the export ended before the worker could be killed"

        worker.kill()
        replacement = Worker(shared["env"], tmp_path / "replacement.log").start()
        try:
            status, _, manifest = poll(port, shared, status_path, timeout=180)
        finally:
            replacement.stop()

        assert status == 200, manifest
        assert_complete_and_valid(read_files(port, shared, manifest))
