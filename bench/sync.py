"""
Incremental sync deep into the data: ``GET /api/v1/assessments/changes/`` at the
first page and at page 1,000 (25 assessments a page, each with its results and
findings), through the API as an integrator calls it. Goal: page 1,000 within 1.5x
of the first page (keyset pagination: the cost must not grow with the depth).

For contrast it also times the numbered list at the same depth
(``/api/v1/assessments/?page=1000``, an OFFSET query), which is not held to the goal.

Runs on PostgreSQL when ``DATABASE_URL`` names a server (in its own database,
``glide_bench_sync``, created and dropped here), else in a throwaway SQLite file.
``BENCH_SYNC_PATIENTS=8000`` sets the dataset's size (enough patients for 1,000
pages of assessments).
"""

import contextlib
import os
import sys
import time

from common import machine, measure, report, scratch_postgres_database, setup_django

DATABASE = "glide_bench_sync"
PATIENTS = int(os.environ.get("BENCH_SYNC_PATIENTS", "6000"))
PAGE_SIZE = 25
DEEP_PAGE = 1000
GOAL = 1.5


def generate(workers):
    from assessments.dataset import generate as generate_dataset

    started = time.perf_counter()
    _staff, totals = generate_dataset(PATIENTS, 1, seed=0, workers=workers)
    rows = sum(totals.values())
    print(
        f"  generate_dataset --patients {PATIENTS} --clinics 1: {rows:,} rows "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def cursor_for_page(page, url):
    """The ``next`` link that the page before ``page`` hands out."""
    from rest_framework.pagination import Cursor

    from assessments.models import Assessment
    from clinic.sync import ChangesPagination

    last_before = Assessment.objects.order_by(*ChangesPagination.ordering)[(page - 1) * PAGE_SIZE - 1]
    paginator = ChangesPagination()
    paginator.base_url = url
    position = f"{last_before.updated_at.isoformat()} {last_before.pk}"
    return paginator.encode_cursor(Cursor(offset=0, reverse=False, position=position))


def measure_pages():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from assessments.models import Assessment
    from clinic.models import User

    therapist = User.objects.get(username="generated-1-therapist-2")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=therapist)[0].key}")
    assessments = Assessment.objects.count()
    if assessments < DEEP_PAGE * PAGE_SIZE:
        raise SystemExit(
            f"{assessments} assessments: too few for page {DEEP_PAGE}; raise BENCH_SYNC_PATIENTS."
        )
    print(f"  {assessments:,} assessments, {PAGE_SIZE} a page", flush=True)

    first_url = f"http://testserver/api/v1/assessments/changes/?page_size={PAGE_SIZE}"
    deep_url = cursor_for_page(DEEP_PAGE, first_url)

    def get(url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            assert len(response.json()["results"]) == PAGE_SIZE

        return fetch

    first = measure("changes, first page", get(first_url), repeat=100)
    deep = measure(f"changes, page {DEEP_PAGE:,}", get(deep_url), repeat=100)
    offset = measure(
        f"numbered list, page {DEEP_PAGE:,} (OFFSET)",
        get(f"/api/v1/assessments/?page={DEEP_PAGE}"),
        repeat=30,
        warmup=3,
    )
    report(first)
    report(deep, first, goal=GOAL)
    report(offset, first)


def main():
    url = os.environ.get("DATABASE_URL", "")
    on_postgres = url.startswith(("postgres://", "postgresql://"))
    database = scratch_postgres_database(DATABASE) if on_postgres else contextlib.nullcontext(None)
    with database as database_url:
        setup_django(database_url)
        print(f"Machine: {machine()}", flush=True)
        generate(workers=2 if on_postgres else 1)
        measure_pages()
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
