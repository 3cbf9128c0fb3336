"""
Benchmark of the home-exercise handout: ``python bench/handout.py [--runs N]``.

Builds a three-exercise plan from the standard library in a throwaway SQLite
database, then times, in the same run and interleaved:

* the full pipeline, ``render_plan_handout`` (queries, template, WeasyPrint with the
  locked-down fetcher, the print record and its audit event);
* WeasyPrint alone rendering the same finished HTML string (same fetcher, same
  options);
* for reference, WeasyPrint with its default URL fetcher reading the same static
  files from disk through ``file://`` URLs.

Prints the medians and the pipeline's ratio to WeasyPrint alone (the goal is 1.2 or
less).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXERCISES = ["active-hamstring-mobilization", "sciatic-supine-slr-slider", "sciatic-seated-slump-tensioner"]


def setup_django(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_plan():
    from assessments.models import Exercise, Plan, PlanItem
    from clinic.models import Clinic, Membership, Patient, User

    clinic = Clinic.objects.create(name="Harbour Physiotherapy", slug="harbour", phone="+1 555 0100")
    therapist = User.objects.create(
        username="dana", first_name="Dana", last_name="Whitfield", credentials="PT, DPT"
    )
    Membership.objects.create(user=therapist, clinic=clinic, role=Membership.Role.THERAPIST)
    patient = Patient.objects.create(
        clinic=clinic,
        chart_number="A-1001",
        given_name="Ada",
        family_name="Byron",
        date_of_birth="1985-03-02",
    )
    plan = Plan.objects.create(patient=patient, therapist=therapist, goals="Sit through a work meeting")
    for order, slug in enumerate(EXERCISES):
        exercise = Exercise.objects.standard().get(slug=slug)
        PlanItem.objects.create(
            plan=plan,
            exercise=exercise,
            order=order,
            sets=exercise.default_sets,
            reps=exercise.default_reps,
            times_per_day=exercise.default_times_per_day,
        )
    return plan, therapist


def median_seconds(function, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from weasyprint import HTML
        from weasyprint.urls import path2url

        from assessments.handouts import (
            PDF_OPTIONS,
            STATIC_BASE_URL,
            StaticFilesFetcher,
            render_html,
            render_plan_handout,
        )
        from assessments.models import Plan

        plan, therapist = build_plan()
        html = render_html(plan, "letter")
        static_folder = path2url(str(ROOT / "assessments" / "static")) + "/"
        plain_html = html.replace("glide-static:/", static_folder)

        def pipeline():
            fresh = Plan.objects.with_items().get(pk=plan.pk)
            return render_plan_handout(fresh, user=therapist)

        def weasyprint_alone():
            fetcher = StaticFilesFetcher()
            return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)

        def weasyprint_from_disk():
            return HTML(string=plain_html, base_url=static_folder).write_pdf(**PDF_OPTIONS)

        handout = pipeline()
        weasyprint_alone()  # warm every path: fonts, imports, caches
        weasyprint_from_disk()
        timings = {pipeline: [], weasyprint_alone: [], weasyprint_from_disk: []}
        for _ in range(args.runs):
            for function, runs in timings.items():
                runs.append(median_seconds(function, 1))

        full, alone, disk = (statistics.median(runs) for runs in timings.values())
        print(f"handout: {len(EXERCISES)} exercises, {handout.page_count} pages, {len(handout.pdf)} bytes")
        print(f"runs: {args.runs} of each, interleaved")
        print(f"full pipeline (render_plan_handout):   median {full * 1000:.0f} ms")
        print(f"WeasyPrint alone, same HTML:           median {alone * 1000:.0f} ms")
        print(f"WeasyPrint, default fetcher, file://:  median {disk * 1000:.0f} ms (reference)")
        print(f"ratio, pipeline / WeasyPrint alone: {full / alone:.2f}x (goal: 1.20x or less)")


if __name__ == "__main__":
    main()
