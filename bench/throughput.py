"""
Throughput under gunicorn on loopback: requests per second of a patient's chart
over the API and as a page, against a bare Django view answering "Hello" served by
the same workers through the same middleware, and against the chart API's floor
(``_throughput_urls.chart_floor``): a hand-written view running the same statements
with raw cursor calls and answering the same JSON, checked byte for byte before
timing. Goal: the chart API at 0.75x of its floor's requests per second or better
(hello is out of reach for any view that authenticates, reads and audits), the two
loaded in turns after every endpoint's own figure: ``BENCH_TURNS=6`` slices of
``BENCH_TURN_SECONDS=2`` each, alternating, so that a change in the machine's load
weighs on both alike (measured one after the other, the ratio moved from 0.52x to
0.87x between runs of the same code on a shared machine).

The chart API is ``GET /api/v1/patients/<id>/progress/``: per test and side, P1, P2
and the reading of every visit, which is what the chart page draws its progress
charts from. The patient's record (``/api/v1/patients/<id>/``) and their
assessments (``/api/v1/assessments/?patient=<id>``) are timed too, for reference.
Each read of patient data writes its audit event, as in production.

gunicorn runs ``clinic.wsgi`` with two sync workers, ``DEBUG=false``, persistent
database connections (``CONN_MAX_AGE``) and the static files collected (whitenoise),
on PostgreSQL in its own database (``glide_bench_load``, created and dropped here).
The API's rate limit is raised so that every request is served: only 200 answers
count, and the benchmark fails if wrk sees any other status.
``BENCH_WRK_SECONDS=10`` sets how long each endpoint is loaded (after a 2-second
warm-up), ``BENCH_WRK_CONNECTIONS=8`` how many connections wrk keeps open.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import ROOT, machine, scratch_postgres_database, setup_django

DATABASE = "glide_bench_load"
VISITS = 10
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
TURNS = int(os.environ.get("BENCH_TURNS", "6"))
TURN_SECONDS = int(os.environ.get("BENCH_TURN_SECONDS", "2"))
FLOOR, CHART_API = "chart API floor (raw SQL)", "chart API (progress)"
GOAL = 0.75
BENCH = Path(__file__).resolve().parent

# Every answer other than 200 is counted by wrk's threads and reported at the end.
NOT_200_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_200 = 0 end
function response(status, headers, body) if status ~= 200 then not_200 = not_200 + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_200") end
  io.write(string.format("Not 200: %d\\n", total))
end
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path, headers):
    """Status and body of one request (a redirect is an answer like any other)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(port, env):
    command = [
        sys.executable, "-m", "gunicorn", "clinic.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", "1",
        "--worker-class", "sync", "--pythonpath", str(BENCH), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if fetch(port, "/hello/", {})[0] == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wrk(url, headers, seconds, script):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    not_200 = int(re.search(r"Not 200: (\d+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    if not_200 or "Socket errors" in output or requests == 0:
        raise SystemExit(f"wrk saw answers other than 200 (or errors) from {url}:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    return {
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": requests,
        "p50": latency.get("50", "-"),
        "p99": latency.get("99", "-"),
    }


def prepare(static_root):
    """The chart, a signed-in session for the page and a token for the API."""
    from _chart import create_chart
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    chart = create_chart(VISITS, with_plan=True)
    browser = Client()
    browser.force_login(chart.therapist)
    session = browser.cookies["sessionid"].value
    patient = chart.patient.pk
    page = {"Cookie": f"sessionid={session}"}
    api = {"Authorization": f"Token {chart.token}"}
    endpoints = [
        ("hello", "/hello/", {}, False),
        ("chart API floor (raw SQL)", f"/floor/patients/{patient}/progress/", api, True),
        ("chart API (progress)", f"/api/v1/patients/{patient}/progress/", api, True),
        ("chart page", f"/patients/{patient}/", page, True),
        ("patient API (reference)", f"/api/v1/patients/{patient}/", api, True),
        ("assessments API (reference)", f"/api/v1/assessments/?patient={patient}", api, True),
    ]
    return chart, endpoints


def audit_events(path):
    """Audit events written for requests to ``path``."""
    from clinic.models import AuditEvent

    return AuditEvent.objects.filter(path=urlsplit(path).path).count()


def check_floor_answers_the_same(port, endpoints):
    paths = {name: (path, headers) for name, path, headers, _audited in endpoints}
    floor = fetch(port, *paths["chart API floor (raw SQL)"])
    api = fetch(port, *paths["chart API (progress)"])
    if floor != api:
        raise SystemExit(f"The floor view answers otherwise than the chart API:\n{floor!r}\n{api!r}")


def measure(port, endpoints, script):
    base_url = f"http://127.0.0.1:{port}"
    check_floor_answers_the_same(port, endpoints)
    figures = {}
    for name, path, headers, audited in endpoints:
        status, body = fetch(port, path, headers)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
        wrk(base_url + path, headers, 2, script)
        before = audit_events(path)
        figures[name] = figure = wrk(base_url + path, headers, SECONDS, script)
        if audited:
            written = audit_events(path) - before
            if written < figure["requests"]:
                raise SystemExit(f"{path}: {figure['requests']} requests but {written} audit events")
            figure["audit"] = written
        print(
            f"  {name:<30} {figure['per_second']:8.1f} req/s   latency p50 {figure['p50']:>8}"
            f"   p99 {figure['p99']:>8}   ({figure['requests']:,} requests, all 200"
            + (f"; {figure['audit']:,} audit events written)" if audited else ")"),
            flush=True,
        )
    return figures


def in_turns(port, endpoints, script, names):
    """Requests per second of the endpoints ``names``, loaded in turns: ``TURNS`` slices
    of ``TURN_SECONDS`` each, the order of each turn alternating, so that a change in
    the machine's load weighs the same on all of them. Every answer counts, as above,
    and so does every audit event."""
    base_url = f"http://127.0.0.1:{port}"
    paths = {name: (path, headers) for name, path, headers, _audited in endpoints if name in names}
    requests, seconds, audited = dict.fromkeys(names, 0), dict.fromkeys(names, 0.0), {}
    before = {name: audit_events(paths[name][0]) for name in names}
    for turn in range(TURNS):
        for name in names if turn % 2 == 0 else reversed(names):
            figure = wrk(base_url + paths[name][0], paths[name][1], TURN_SECONDS, script)
            requests[name] += figure["requests"]
            seconds[name] += figure["requests"] / figure["per_second"]
    for name in names:
        audited[name] = audit_events(paths[name][0]) - before[name]
        if audited[name] < requests[name]:
            raise SystemExit(f"{name}: {requests[name]} requests but {audited[name]} audit events")
        print(
            f"  {name + ', in turns':<37} {requests[name] / seconds[name]:8.1f} req/s"
            f"   ({requests[name]:,} requests in {TURNS} turns of {TURN_SECONDS} s, all 200;"
            f" {audited[name]:,} audit events written)",
            flush=True,
        )
    return {name: requests[name] / seconds[name] for name in names}


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    static_root = tempfile.mkdtemp(prefix="glide-bench-static-")
    script = Path(static_root).with_suffix(".lua")
    script.write_text(NOT_200_SCRIPT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "_throughput_settings"
    os.environ["BENCH_STATIC_ROOT"] = static_root
    # Every request must be served: the API's per-user rate limit would answer 429.
    # Counted per second, the limit keeps about as many past requests as the
    # production rate of 1,200 a minute does.
    os.environ["THROTTLE_USER"] = "1000000/second"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    try:
        with scratch_postgres_database(DATABASE) as url:
            setup_django(url)
            print(f"Machine: {machine()}", flush=True)
            _chart, endpoints = prepare(static_root)
            from django.db import connections

            connections.close_all()
            port = free_port()
            print(
                f"  gunicorn clinic.wsgi, {WORKERS} sync workers, DEBUG=false, CONN_MAX_AGE="
                f"{os.environ['CONN_MAX_AGE']}; wrk -t2 -c{CONNECTIONS} -d{SECONDS}s after a 2 s warm-up",
                flush=True,
            )
            with gunicorn(port, dict(os.environ)):
                figures = measure(port, endpoints, str(script))
                turns = in_turns(port, endpoints, str(script), [FLOOR, CHART_API])
            connections.close_all()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        script.unlink(missing_ok=True)
    hello = figures["hello"]["per_second"]
    floor = figures[FLOOR]["per_second"]
    for name, figure in figures.items():
        if name == "hello":
            continue
        ratio = figure["per_second"] / hello
        print(f"  {name:<30} {ratio:5.2f}x hello's requests per second", flush=True)
    one_after_the_other = figures[CHART_API]["per_second"] / floor
    print(f"  chart API against its floor, one after the other: {one_after_the_other:.2f}x", flush=True)
    ratio = turns[CHART_API] / turns[FLOOR]
    print(
        f"Chart API against its floor, in turns: {ratio:.2f}x its requests per second"
        f" (goal {GOAL}x or better: {'met' if ratio >= GOAL else 'NOT met'})",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
