"""
Real processes for the tests of background work: a database of their own that they
share (a SQLite file, or a PostgreSQL database beside the test database), gunicorn
web servers, Celery workers, all over one Redis.

Redis is the one at ``GLIDE_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/8``).
Where none answers the tests are skipped, unless ``GLIDE_REQUIRE_SERVICES=1`` (set by
``.ci/run``), where they fail.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
REDIS_URL = os.environ.get("GLIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
# The processes are configured by what the test gives them, not by the test run's
# environment.
BASE_ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
}


def require_redis():
    """Empty the test's Redis database, or skip (fail on CI) when none answers."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("GLIDE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"No Redis answers at {REDIS_URL}, and GLIDE_REQUIRE_SERVICES=1.")
        pytest.skip(f"No Redis answers at {REDIS_URL}")
    return REDIS_URL


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args, env):
    process = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert process.returncode == 0, process.stderr + process.stdout
    return process.stdout


@contextlib.contextmanager
def scratch_database(directory, suffix="workers"):
    """The URL of a new, migrated database, removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        database_url = f"sqlite:///{directory / 'shared.sqlite3'}"
        manage("migrate", "--noinput", "-v0", env={"DATABASE_URL": database_url})
        yield database_url
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{suffix}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        manage("migrate", "--noinput", "-v0", env={"DATABASE_URL": database_url})
        yield database_url
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def token_for(username, env):
    """A new API token of ``username``, from ``manage.py drf_create_token``."""
    return manage("drf_create_token", username, env=env).split()[2]


def request(port, method, path, headers=None, body=None):
    """Status, headers and body (decoded JSON, or bytes) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        answer_headers = dict(response.getheaders())
        content_type = response.getheader("Content-Type", "")
        if content_type.endswith("json") and not content_type.endswith("ndjson") and content:
            content = json.loads(content)
        return response.status, answer_headers, content
    finally:
        connection.close()


def _stop(process, sig=signal.SIGTERM):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def gunicorn(env):
    """Serve Glide with gunicorn on a free port; yields the port."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env={**BASE_ENV, **env}, start_new_session=True, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                request(port, "GET", "/api/v1/")
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        _stop(server)


class Worker:
    """``celery -A clinic worker`` on both queues, one process at a time."""

    def __init__(self, env, log_path):
        self.env, self.log_path = env, log_path
        self.process = None

    def start(self):
        command = [
            sys.executable, "-m", "celery", "-A", "clinic", "worker", "--queues", "exports,default",
            "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**BASE_ENV, **self.env}, start_new_session=True, stdout=log, stderr=log
        )
        return self

    def kill(self):
        """SIGKILL to the worker and its pool, as when a machine dies."""
        _stop(self.process, signal.SIGKILL)

    def stop(self):
        if self.process and self.process.poll() is None:
            _stop(self.process)

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""
