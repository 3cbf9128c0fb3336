"""
What the benchmarks share: Django set up against a database of their own, and
timings printed as median, 99th percentile and a ratio against a baseline measured
in the same run (never against a figure from another day or machine).

A benchmark is a script ``bench/NAME.py`` with a ``main()``; ``bench/run_all.py``
runs every one in turn.
"""

import atexit
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def setup_django(database_url=None):
    """Configure Django for ``database_url`` (default: ``DATABASE_URL``, else a
    throwaway SQLite file), migrate it and return the settings."""
    if database_url is None and not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="glide-bench-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    # Production mode (no query log kept in memory), over plain HTTP on loopback.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmarks-only-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return settings


def postgres_server_url():
    """The PostgreSQL server to benchmark on: ``DATABASE_URL`` when it names one,
    else the local server."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES_URL


def with_database_name(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def scratch_database_name(name):
    """``name`` made this process's own: led by the database ``DATABASE_URL`` names
    (``glide`` when it names none, or the server's maintenance database) and ending
    with the process id, so that benchmarks run at the same time on one server, by
    one person or several, never drop each other's database."""
    given = urlsplit(postgres_server_url()).path.lstrip("/")
    prefix = given if given and given not in ("postgres", "template1") else "glide"
    return f"{prefix}_{name.removeprefix('glide_')}_{os.getpid()}"[:63]


@contextlib.contextmanager
def scratch_postgres_database(name):
    """A new, empty PostgreSQL database for one benchmark (``name`` made unique by
    ``scratch_database_name``), dropped afterwards. Yields its URL."""
    import psycopg

    name = scratch_database_name(name)
    server = with_database_name(postgres_server_url(), "postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database_name(server, name)
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Timing:
    name: str
    samples: list  # seconds

    @property
    def median_ms(self):
        return statistics.median(self.samples) * 1000

    @property
    def p99_ms(self):
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000


def measure(name, function, repeat=200, warmup=10):
    """Time ``function()`` ``repeat`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return Timing(name, samples)


def report(timing, baseline=None, goal=None):
    """Print one figure: median and p99, and the ratio of the medians against the
    baseline when there is one (with the goal, when there is one)."""
    line = f"  {timing.name:<48} median {timing.median_ms:8.3f} ms   p99 {timing.p99_ms:8.3f} ms"
    if baseline is not None:
        ratio = timing.median_ms / baseline.median_ms
        line += f"   {ratio:5.2f}x {baseline.name}"
        if goal is not None:
            line += f" (goal under {goal}x: {'met' if ratio < goal else 'NOT met'})"
    print(line, flush=True)


def machine():
    """nproc, memory and the database server, for the figures' context."""
    import django
    from django.db import connection

    memory = ""
    with contextlib.suppress(OSError):
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.1f} GiB RAM"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"{connection.vendor} {connection.Database.sqlite_version}"
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs{memory}, load average {load:.2f}, {database}, "
        f"Python {sys.version.split()[0]}, Django {django.get_version()}"
    )
