"""
Real servers for tests that need more than one process: gunicorn instances started
from the repository, over a database of their own that they share.

``scratch_database`` makes a new database (a SQLite file, or a PostgreSQL database
beside the test database), ``migrated`` migrates it, and ``gunicorn`` serves Glide on
a free port until the ``with`` block ends. ``tests/interop/processes.py`` adds Celery
workers.
"""

import contextlib
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings

ROOT = settings.BASE_DIR
# The servers are configured by what the test gives them, not by the test run's
# environment.
BASE_ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
}


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
def scratch_database(directory, suffix="servers"):
    """The URL of a new, empty database, removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{directory / f'{suffix}.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{suffix}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrated(database_url):
    manage("migrate", "--noinput", "-v0", env={"DATABASE_URL": database_url})
    return database_url


def exchange(port, method, path, headers=None, body=None):
    """Status, headers and body (decoded JSON, else bytes) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        content_type = response.getheader("Content-Type", "")
        if content_type.endswith("json") and not content_type.endswith("ndjson") and content:
            content = json.loads(content)
        return response.status, dict(response.getheaders()), content
    finally:
        connection.close()


def request(port, method, path, data=None, headers=None):
    """Status and body of one request, ``data`` sent as a form."""
    body = urlencode(data) if data is not None else None
    if body:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    status, _, content = exchange(port, method, path, headers, body)
    return status, content.decode() if isinstance(content, bytes) else content


def stop(process, sig=signal.SIGTERM):
    """Stop ``process`` and its children (started in a session of their own)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def gunicorn(env, *, workers=1):
    """Serve Glide with gunicorn on a free port; yields the port."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**BASE_ENV, **env},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                exchange(port, "GET", "/api/v1/")
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {server.stderr.read() if server.poll() else ''}")
            time.sleep(0.2)
        yield port
    finally:
        stop(server)


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "z" * 20 + "a-long-random-production-key-for-the-servers-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # The test servers speak plain HTTP on loopback.
    "SECURE_SSL_REDIRECT": "false",
}


def collected_static():
    """Production's static files (whitenoise's compressed manifest) in ``STATIC_ROOT``.
    Collecting compresses megabytes of Swagger UI and ReDoc and takes minutes, so it
    runs again only when a source file changed since the last time."""
    from django.contrib.staticfiles import finders

    sources = sorted(
        (path, storage.path(path)) for finder in finders.get_finders() for path, storage in finder.list([])
    )
    fingerprint = hashlib.sha256()
    for path, full_path in sources:
        stat = os.stat(full_path)
        fingerprint.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = settings.STATIC_ROOT / ".collected"
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint.hexdigest():
        return
    manage("collectstatic", "--noinput", "-v0", env=PRODUCTION)
    stamp.write_text(fingerprint.hexdigest())
