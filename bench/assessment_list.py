"""
A patient's assessments through the API: ``GET /api/v1/assessments/?patient=<id>
&page_size=50``, fifty assessments on one page, each with its results (two to four
tests on both sides) and a finding for every step, with a therapist's token.

The baseline is a hand-written view in this script that reads the same rows with
``.values()`` (assessments, results, findings and addenda, four queries), builds
the same fields and answers with ``JsonResponse``. Both are requested through the
same test client, URL resolver and middleware, interleaved, so load on the machine
hits both alike. Before timing, the two answers are checked to hold the same
assessments, results and findings under the same field names.

Goals: the API's median within 1.3x of the baseline's; the API's 99th percentile
within 4x of its own median.

Runs on PostgreSQL (its own database, ``glide_bench_list``, created and dropped
here), then again on SQLite in a subprocess unless ``BENCH_LIST_SQLITE=0``.
``BENCH_LIST_REQUESTS=300`` sets the number of timed requests of each.
"""

import os
import subprocess
import sys
import time
import types
import warnings

from common import Timing, machine, report, scratch_postgres_database, setup_django

DATABASE = "glide_bench_list"
VISITS = 50
REQUESTS = int(os.environ.get("BENCH_LIST_REQUESTS", "300"))
WARMUP = 20
MEDIAN_GOAL = 1.3
TAIL_GOAL = 4.0

# The static files are not collected here: nothing this benchmark serves needs them.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
# The API's own rate limit would answer 429 well before the last request.
os.environ.setdefault("THROTTLE_USER", "1000000/minute")


def user_summary(prefix, row):
    if row[f"{prefix}_id"] is None:
        return None
    name = f"{row[f'{prefix}__first_name']} {row[f'{prefix}__last_name']}".strip()
    name = name or row[f"{prefix}__username"]
    credentials = row[f"{prefix}__credentials"]
    return {
        "id": row[f"{prefix}_id"],
        "username": row[f"{prefix}__username"],
        "display_name": f"{name}, {credentials}" if credentials else name,
    }


def user_fields(prefix):
    names = ("username", "first_name", "last_name", "credentials")
    return [f"{prefix}_id"] + [f"{prefix}__{name}" for name in names]


def baseline_view(request):
    """The same assessments as the API's list, read with ``.values()``."""
    from django.http import JsonResponse

    from assessments import interpretation
    from assessments.models import Addendum, Assessment, StepFinding, TestResult

    rows = list(
        Assessment.objects.filter(patient_id=request.GET["patient"])
        .order_by("-performed_at", "-created_at")
        .values(
            "patient_id", "id", "clinic__slug", "performed_at", "complaint", "notes", "status",
            "signed_at", "version", "created_at", "updated_at",
            *user_fields("therapist"), *user_fields("signed_by"),
        )[:VISITS]
    )  # fmt: skip
    ids = [row["id"] for row in rows]
    findings = {}
    for finding in (
        StepFinding.objects.filter(result__assessment_id__in=ids)
        .order_by("result_id", "step__order")
        .values("result_id", "step__code", "symptoms_reproduced", "symptom_kinds", "location", "intensity")
    ):
        result_id = finding.pop("result_id")
        finding["step"] = finding.pop("step__code")
        findings.setdefault(result_id, []).append(finding)
    results = {}
    for result in (
        TestResult.objects.filter(assessment_id__in=ids)
        .order_by("assessment_id", "test__code", "side")
        .values(
            "assessment_id", "id", "test_id", "test__code", "side", "range_at_onset_deg",
            "range_at_max_deg", "differentiation", "interpretation", "interpretation_override",
            "override_reason", "notes",
        )
    ):  # fmt: skip
        results.setdefault(result["assessment_id"], []).append(result)
    addenda = {}
    for addendum in (
        Addendum.objects.filter(assessment_id__in=ids)
        .order_by("created_at")
        .values("assessment_id", "id", "text", "created_at", *user_fields("author"))
    ):
        addenda.setdefault(addendum["assessment_id"], []).append(
            {
                "id": addendum["id"],
                "text": addendum["text"],
                "author": user_summary("author", addendum),
                "created_at": addendum["created_at"],
            }
        )
    body = []
    for row in rows:
        own_results = results.get(row["id"], [])
        onsets = {(result["test_id"], result["side"]): result["range_at_onset_deg"] for result in own_results}
        body.append(
            {
                "patient": row["patient_id"],
                "id": row["id"],
                "clinic": row["clinic__slug"],
                "therapist": user_summary("therapist", row),
                "performed_at": row["performed_at"],
                "complaint": row["complaint"],
                "notes": row["notes"],
                "status": row["status"],
                "signed_at": row["signed_at"],
                "signed_by": user_summary("signed_by", row),
                "version": row["version"],
                "results": [
                    {
                        "id": result["id"],
                        "test": result["test__code"],
                        "side": result["side"],
                        "range_at_onset_deg": result["range_at_onset_deg"],
                        "range_at_max_deg": result["range_at_max_deg"],
                        "differentiation": result["differentiation"],
                        "interpretation": result["interpretation"],
                        "interpretation_override": result["interpretation_override"],
                        "override_reason": result["override_reason"],
                        "final_interpretation": interpretation.effective_interpretation(
                            result["interpretation"], result["interpretation_override"]
                        ),
                        "side_difference_deg": interpretation.side_difference_deg(
                            result["range_at_onset_deg"],
                            onsets.get((result["test_id"], "right" if result["side"] == "left" else "left")),
                        ),
                        "notes": result["notes"],
                        "findings": findings.get(result["id"], []),
                    }
                    for result in own_results
                ],
                "addenda": addenda.get(row["id"], []),
                "created_at": row["created_at"],
                "updated_at": row["updated_at"],
            }
        )
    return JsonResponse({"count": len(body), "results": body})


def install_urlconf():
    """The project's URLs plus ``/bench/assessments/`` for the baseline."""
    from django.urls import include, path

    urls = types.ModuleType("assessment_list_bench_urls")
    urls.urlpatterns = [path("bench/assessments/", baseline_view), path("", include("clinic.urls"))]
    sys.modules[urls.__name__] = urls
    return urls.__name__


def shape(value):
    """Field names all the way down, to compare two answers' structure."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items() if key != "findings" or item}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return shape(value[0])
    return None


def check_same_data(api, baseline):
    api_rows, baseline_rows = api["results"], baseline["results"]
    assert api["count"] == VISITS and len(api_rows) == VISITS, (api["count"], len(api_rows))
    assert [row["id"] for row in api_rows] == [row["id"] for row in baseline_rows]
    for api_row, baseline_row in zip(api_rows, baseline_rows, strict=True):
        assert [r["id"] for r in api_row["results"]] == [r["id"] for r in baseline_row["results"]]
        assert [len(r["findings"]) for r in api_row["results"]] == [
            len(r["findings"]) for r in baseline_row["results"]
        ]
        assert len(api_row["addenda"]) == len(baseline_row["addenda"])
        assert shape(api_row) == shape(baseline_row), (shape(api_row), shape(baseline_row))
    results = sum(len(row["results"]) for row in api_rows)
    findings = sum(len(r["findings"]) for row in api_rows for r in row["results"])
    return results, findings


def timed(get, urls, requests):
    """Time ``requests`` rounds of the URLs, one request to each per round, taking
    turns at going first so that none always follows another."""
    samples = [[] for _ in urls]
    for number in range(requests):
        order = list(zip(urls, samples, strict=True))
        for url, taken in order if number % 2 else reversed(order):
            started = time.perf_counter()
            get(url)
            taken.append(time.perf_counter() - started)
    return samples


def measure_list(label, reference):
    import gc

    from _chart import create_chart
    from django.test import Client, override_settings

    from clinic.models import AuditEvent

    started = time.perf_counter()
    chart = create_chart(VISITS)
    elapsed = time.perf_counter() - started
    print(f"  {VISITS} assessments written through assessments.services in {elapsed:.1f} s")
    client = Client(HTTP_AUTHORIZATION=f"Token {chart.token}")
    api_url = f"/api/v1/assessments/?patient={chart.patient.pk}&page_size={VISITS}"
    baseline_url = f"/bench/assessments/?patient={chart.patient.pk}"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        return response

    with override_settings(ROOT_URLCONF=install_urlconf()):
        api_body, baseline_body = get(api_url).json(), get(baseline_url).json()
        results, findings = check_same_data(api_body, baseline_body)
        print(
            f"  both answers hold the same {VISITS} assessments, {results} results and "
            f"{findings} findings under the same field names; API answer "
            f"{len(get(api_url).content):,} bytes, baseline {len(get(baseline_url).content):,} bytes"
        )
        events_before = AuditEvent.objects.filter(action=AuditEvent.Action.LIST).count()
        for _ in range(WARMUP):
            get(api_url)
            get(baseline_url)
        if reference:
            (unfrozen,) = timed(get, [api_url], REQUESTS // 2)
            report(Timing(f"API list, {label}, no gc.freeze() (reference)", unfrozen))
        # Set the process up as gunicorn's workers are: clinic/wsgi.py freezes what
        # is loaded by then out of garbage collection.
        gc.collect()
        import clinic.wsgi  # noqa: F401

        api, baseline = timed(get, [api_url, baseline_url], REQUESTS)
        events = AuditEvent.objects.filter(action=AuditEvent.Action.LIST).count() - events_before
        assert events == WARMUP + len(api) + (REQUESTS // 2 if reference else 0), events
    api_timing = Timing(f"API list, {label}", api)
    baseline_timing = Timing(f"values() + JsonResponse, {label}", baseline)
    report(baseline_timing)
    report(api_timing, baseline_timing, goal=MEDIAN_GOAL)
    tail = api_timing.p99_ms / api_timing.median_ms
    print(
        f"  API p99 / API median: {tail:.2f}x (goal under {TAIL_GOAL}x: "
        f"{'met' if tail < TAIL_GOAL else 'NOT met'}); one list audit event written per API request "
        f"({events} in all)",
        flush=True,
    )


def run(database_url, label, reference):
    setup_django(database_url)
    print(f"Machine: {machine()}", flush=True)
    measure_list(label, reference)
    from django.db import connections

    connections.close_all()


def main():
    if "--sqlite" in sys.argv:
        run(None, "SQLite", reference=False)
        return 0
    with scratch_postgres_database(DATABASE) as url:
        run(url, "PostgreSQL", reference=True)
    if os.environ.get("BENCH_LIST_SQLITE", "1") != "0":
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        return subprocess.run([sys.executable, __file__, "--sqlite"], env=env, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
