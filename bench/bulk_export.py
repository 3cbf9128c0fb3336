"""
FHIR bulk export of 10,000 generated patients on PostgreSQL: the asynchronous
export (kick-off, a Celery worker over Redis, polling, manifest) against the
synchronous ``manage.py export_fhir`` of the same clinic, in patients per second.

The asynchronous figure counts from the kick-off to the first 200 of the status
address, polled every half second, so it includes the queue and the polling; the
synchronous one is the command alone. Every file of the manifest is read back; every
resource of the Patient file, and every 20th line of the others, is validated as
FHIR R4B.

Needs Redis (``REDIS_URL``, default ``redis://127.0.0.1:6379/8``, flushed first).
Runs in its own database (``glide_bench_export``), created and dropped here.
``BENCH_EXPORT_PATIENTS=2000`` runs a smaller clinic.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, scratch_postgres_database, setup_django

DATABASE = "glide_bench_export"
PATIENTS = int(os.environ.get("BENCH_EXPORT_PATIENTS", "10000"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8")


def start_worker(env):
    command = [
        sys.executable, "-m", "celery", "-A", "clinic", "worker", "--queues", "exports,default",
        "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def main():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    exports = Path(tempfile.mkdtemp(prefix="glide-bench-exports-"))
    os.environ.update(REDIS_URL=REDIS_URL, EXPORT_ROOT=str(exports))
    with scratch_postgres_database(DATABASE) as url:
        setup_django(url)
        print(machine(), flush=True)
        from django.core.management import call_command
        from fhir.resources.R4B import get_fhir_model_class
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
            started = time.perf_counter()
            call_command("export_fhir", outdir, clinic=slug, stdout=open(os.devnull, "w"))  # noqa: SIM115
            sync_seconds = time.perf_counter() - started
        print(
            f"  synchronous export_fhir: {sync_seconds:.1f} s = {PATIENTS / sync_seconds:,.0f} patients/s",
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
            f"{sync_seconds / async_seconds:.2f}x the synchronous rate",
            flush=True,
        )

        validated = 0
        for entry in manifest["output"]:
            response = client.get(entry["url"].removeprefix("http://testserver"))
            lines = b"".join(response.streaming_content).decode().splitlines()
            assert len(lines) == entry["count"], entry
            model = get_fhir_model_class(entry["type"])
            step = 1 if entry["type"] == "Patient" else 20
            for line in lines[::step]:
                model.model_validate(json.loads(line))
                validated += 1
        patients = next(entry["count"] for entry in manifest["output"] if entry["type"] == "Patient")
        assert patients == PATIENTS
        files = ", ".join(f"{entry['type']} {entry['count']:,}" for entry in manifest["output"])
        print(
            f"  manifest: {files}; {validated:,} resources validated as FHIR R4B",
            flush=True,
        )


if __name__ == "__main__":
    main()
