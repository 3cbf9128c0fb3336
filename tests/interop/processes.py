"""
Celery workers for the tests of background work, beside the gunicorn servers and
scratch databases of ``tests/servers.py``, all over one Redis.

Redis is the one at ``GLIDE_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/8``).
Where none answers the tests are skipped, unless ``GLIDE_REQUIRE_SERVICES=1`` (set by
``.ci/run``), where they fail.
"""

import contextlib
import os
import signal
import subprocess
import sys

import pytest

from ..servers import BASE_ENV, ROOT, manage, migrated, stop
from ..servers import scratch_database as empty_database

REDIS_URL = os.environ.get("GLIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


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


@contextlib.contextmanager
def scratch_database(directory):
    """The URL of a new, migrated database shared by the workers and servers."""
    with empty_database(directory, suffix="workers") as url:
        yield migrated(url)


def token_for(username, env):
    """A new API token of ``username``, from ``manage.py drf_create_token``."""
    return manage("drf_create_token", username, env=env).split()[2]


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
        stop(self.process, signal.SIGKILL)

    def stop(self):
        if self.process and self.process.poll() is None:
            stop(self.process)

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""
