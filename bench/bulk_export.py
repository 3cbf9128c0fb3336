"""
FHIR bulk export of 10,000 generated patients on PostgreSQL: the asynchronous
export (kick-off, a Celery worker over Redis, polling, manifest) against the
synchronous ``manage.py export_fhir`` of the same clinic, in patients per second.

The asynchronous figure counts from the kick-off to the first 200 of the status
address, polled every half second, so it includes the queue and the polling; the
synchronous one is the command alone. Every file of the manifest is read back as a
stream (the Observation file of 10,000 patients is some 3 GB) and its lines counted
against the manifest; every resource of the Patient file, and an evenly spread
sample of about 2,000 lines of each other file, is validated as FHIR R4B.

Needs Redis (``REDIS_URL``, default ``redis://127.0.0.1:6379/8``, flushed first).
Runs in its own database (``glide_bench_export``, or ``BENCH_EXPORT_DATABASE``),
created and dropped here.
``BENCH_EXPORT_PATIENTS=2000`` runs a smaller clinic.
"""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, scratch_postgres_database, setup_django

DATABASE = os.environ.get("BENCH_EXPORT_DATABASE", "glide_bench_export")
PATIENTS = int(os.environ.get("BENCH_EXPORT_PATIENTS", "10000"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8")
SAMPLE = 2000  # lines validated per file, other than Patient (all of them)


def start_worker(env):
    command = [
        sys.executable, "-m", "celery", "-A", "clinic", "worker", "--queues", "exports,default",
        "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def lines_of(response):
    """The lines of a streamed NDJSON file, without holding the file in memory."""
    pending = b""
    for chunk in response.streaming_content:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        yield from lines
    if pending:
        yield pending


def validate_file(client, entry):
    """Count the file's lines against the manifest and validate a sample of them;
    return how many were validated."""
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(entry["type"])
    response = client.get(entry["url"].removeprefix("http://testserver"))
    assert response.status_code == 200, response
    step = 1 if entry["type"] == "Patient" else max(1, entry["count"] // SAMPLE)
    lines = validated = 0
    for number, line in enumerate(lines_of(response)):
        lines += 1
        if number % step == 0:
            resource = json.loads(line)
            assert resource["resourceType"] == entry["type"], resource
            model.model_validate(resource)
            validated += 1
    assert lines == entry["count"], (entry, lines)
    return validated


def main():
    exports = Path(tempfile.mkdtemp(prefix="glide-bench-exports-"))
    try:
        run(exports)
    finally:
        shutil.rmtree(exports, ignore_errors=True)


def run(exports):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    os.environ.update(REDIS_URL=REDIS_URL, EXPORT_ROOT=str(exports))
    with scratch_postgres_database(DATABASE) as url:
        setup_django(url)
        print(machine(), flush=True)
        from django.core.management import call_command
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from assessments.dataset import generate
        from clinic.models import Membership

        started = time.perf_counter()
        staff, _ = generate(PATIENTS, 1, seed=7, workers=2)
        print(f"  generated {PATIENTS:,} patients in {time.perf_counter() - started:.0f} s", flush=True)
        slug = staff[0].slug
        admin = Membership.objects.get(clinic__slug=slug, role=Membership.Role.ADMIN).user

        with tempfile.TemporaryDirectory() as outdir:
            written = io.StringIO()
            started = time.perf_counter()
            call_command("export_fhir", outdir, clinic=slug, stdout=written)
            sync_seconds = time.perf_counter() - started
        sync_counts = dict(line.split(".ndjson: ") for line in written.getvalue().splitlines())
        print(
            f"  synchronous export_fhir: {sync_seconds:.1f} s = {PATIENTS / sync_seconds:,.0f} patients/s "
            f"(load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )

        worker = start_worker({**os.environ, "DATABASE_URL": url})
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
            time.sleep(5)  # the worker connects
            started = time.perf_counter()
            response = client.get("/fhir/$export", HTTP_PREFER="respond-async")
            assert response.status_code == 202, response.content
            status_path = response["Content-Location"].removeprefix("http://testserver")
            while (response := client.get(status_path)).status_code == 202:
                time.sleep(0.5)
            async_seconds = time.perf_counter() - started
            assert response.status_code == 200, response.content
            manifest = response.json()
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        print(
            f"  asynchronous $export (kick-off to manifest): {async_seconds:.1f} s = "
            f"{PATIENTS / async_seconds:,.0f} patients/s, "
            f"{sync_seconds / async_seconds:.2f}x the synchronous rate "
            f"(load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )
        async_counts = {entry["type"]: str(entry["count"]) for entry in manifest["output"]}
        assert async_counts == sync_counts, (async_counts, sync_counts)

        validated = sum(validate_file(client, entry) for entry in manifest["output"])
        patients = next(entry["count"] for entry in manifest["output"] if entry["type"] == "Patient")
        assert patients == PATIENTS
        files = ", ".join(f"{entry['type']} {entry['count']:,}" for entry in manifest["output"])
        print(
            f"  manifest: {files}; {validated:,} resources validated as FHIR R4B",
            flush=True,
        )


if __name__ == "__main__":
    main()
