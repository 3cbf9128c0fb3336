"""
Benchmark of the home-exercise handout: ``python bench/handout.py [--runs N]``.

Builds the three-exercise plan of the handout's picture test
(``tests.factories.handout_plan``) in a throwaway SQLite database, then times, in
the same run and interleaved:

* the full pipeline, ``render_plan_handout`` (queries, template, WeasyPrint with the
  locked-down fetcher, the print record and its audit event), as a long-lived
  process runs it: warmed by one earlier render;
* the baseline: the fixed copy of the same handout as it printed before it was made
  faster (``bench/handout_baseline/``), rendered the way the pipeline rendered it
  then (its HTML, stylesheet and drawings, a new font configuration and no image
  cache for each render);
* WeasyPrint alone rendering today's finished HTML string and stylesheet with the
  locked-down fetcher and the same options, but nothing kept from one render to the
  next.

Prints the medians, wall clock and CPU time of the process (steadier than the wall
clock on a machine shared with other work), the pipeline's ratio to the baseline (the
goal is 0.5 or less) and its ratio to WeasyPrint alone.
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

BASELINE = ROOT / "bench" / "handout_baseline" / "handout.html"


def setup_django(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(function):
    """(wall-clock seconds, CPU seconds of this process) of one call of ``function``."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from weasyprint import CSS, HTML

        from assessments.handouts import (
            PDF_OPTIONS,
            STATIC_BASE_URL,
            STYLESHEET,
            StaticFilesFetcher,
            render_html,
            render_plan_handout,
            static_url,
        )
        from assessments.models import Plan
        from tests.factories import HANDOUT_EXERCISES, handout_plan

        plan, therapist = handout_plan()
        html = render_html(plan, "letter")

        def pipeline():
            fresh = Plan.objects.with_items().get(pk=plan.pk)
            return render_plan_handout(fresh, user=therapist)

        def baseline():
            document = HTML(filename=str(BASELINE)).render(pdf_tags=True, attachments=None)
            return document.write_pdf(pdf_tags=True, attachments=None)

        def weasyprint_alone():
            fetcher = StaticFilesFetcher()
            stylesheet = CSS(url=static_url(STYLESHEET), url_fetcher=fetcher)
            return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf(
                stylesheets=[stylesheet], **PDF_OPTIONS
            )

        handout = pipeline()  # warm every path: fonts, imports, caches
        baseline()
        weasyprint_alone()
        timings = {pipeline: [], baseline: [], weasyprint_alone: []}
        for _ in range(args.runs):
            for function, runs in timings.items():
                runs.append(timed(function))

        def medians(runs):
            return tuple(statistics.median(run[i] for run in runs) for i in (0, 1))

        (full, full_cpu), (before, before_cpu), (alone, alone_cpu) = map(medians, timings.values())
        exercises, pages = len(HANDOUT_EXERCISES), handout.page_count
        print(f"handout: {exercises} exercises, {pages} pages, {len(handout.pdf)} bytes")
        print(f"runs: {args.runs} of each, interleaved; load average {os.getloadavg()[0]:.2f}")
        print("median of each, wall clock (CPU time of this process):")
        for label, wall, cpu in [
            ("full pipeline (render_plan_handout):", full, full_cpu),
            ("baseline copy, as it rendered before:", before, before_cpu),
            ("WeasyPrint alone, today's HTML, no reuse:", alone, alone_cpu),
        ]:
            print(f"{label:42} {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms)")
        print(
            f"ratio, pipeline / baseline:         {full / before:.2f}x ({full_cpu / before_cpu:.2f}x CPU) "
            "(goal: 0.50x or less)"
        )
        print(f"ratio, pipeline / WeasyPrint alone: {full / alone:.2f}x ({full_cpu / alone_cpu:.2f}x CPU)")


if __name__ == "__main__":
    main()
