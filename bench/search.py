"""
Patient search at 10,000 and 100,000 patients, and at 2,000 and 20,000, on PostgreSQL.

A therapist of one clinic searches the way the front desk does: a chart number, a
family name, a name as it is being typed, a given and family name together, a common
given name. Each search is what the patient list runs: the first page of 25 and the
count for the pager. The smaller database holds 10,000 patients in one clinic; the
larger holds the same clinic (the same generated patients) and 90,000 more in nine
other clinics (the group's other sites): the searching clinic's own patients are the
same, the tables ten times larger. Goal: the median at 100,000 within 1.2x of the
median at 10,000. The same at 2,000 and 20,000 (18,000 more in one other clinic),
where a search's fixed costs weigh more.

The two databases of a series exist side by side and are measured in turns, a search
in one then the same search in the other, so that the load of the machine, which
moves over minutes, weighs the same on both figures. The exact chart-number lookup
through the unique index is the baseline of each size: the fastest a patient can be
found at all.

Each series runs in a process of its own, with its own databases (``glide_bench_<size>``,
made unique to the process, created and dropped there); the run ends with both
ratios. ``BENCH_SEARCH_SIZES=2000,20000`` runs one series; series are separated by
``;`` (the default is ``2000,20000;10000,100000``). It also times
``generate_dataset`` (rows per second, and the time for 100,000 patients) on the way.
"""

import contextlib
import os
import random
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit

from common import Timing, machine, report, scratch_postgres_database, setup_django

DATABASE = "glide_bench"
SERIES = [
    [int(size) for size in series.split(",")]
    for series in os.environ.get("BENCH_SEARCH_SIZES", "2000,20000;10000,100000").split(";")
]
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
GOAL = 1.2


def generate(patients, clinics, seed):
    from assessments.dataset import generate as generate_dataset

    started = time.perf_counter()
    _staff, totals = generate_dataset(patients, clinics, seed=seed, workers=WORKERS)
    elapsed = time.perf_counter() - started
    rows = sum(totals.values())
    print(
        f"  generate_dataset --patients {patients} --clinics {clinics} --workers {WORKERS}: "
        f"{rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s, "
        f"{patients / elapsed:,.0f} patients/s "
        f"(100,000 patients in about {100_000 / (patients / elapsed) / 60:.1f} min)",
        flush=True,
    )


def search_terms(clinic, count=8):
    """Searches for real patients of the clinic, chosen the same way at every size."""
    from clinic.models import Patient

    rng = random.Random(1)
    patients = Patient.objects.using(clinic._state.db).filter(clinic=clinic)
    chart_numbers = sorted(patients.values_list("chart_number", flat=True))
    picked = patients.filter(chart_number__in=rng.sample(chart_numbers, count))
    terms = []
    for patient in picked.order_by("chart_number"):
        terms += [
            patient.chart_number,
            patient.chart_number[-5:],
            patient.family_name,
            patient.family_name[:4],
            f"{patient.given_name} {patient.family_name}",
            patient.given_name,
        ]
    return terms


def search_case(alias):
    """The therapist, the search terms and the chart numbers of database ``alias``."""
    from clinic.models import Clinic, User

    clinic = Clinic.objects.using(alias).get(slug="generated-1")
    therapist = User.objects.using(alias).get(username="generated-1-therapist-2")
    terms = search_terms(clinic)
    return therapist, terms, [term for term in terms if term.startswith("G-")]


def in_turns(name_of, run_of, count, warmup=10):
    """``Timing``s of each ``run_of[key](i)`` for i in range(count), taken in turns
    (the order of the turn alternating), after ``warmup`` untimed turns."""
    for i in range(warmup):
        for run in run_of.values():
            run(i)
    samples = {key: [] for key in run_of}
    keys = list(run_of)
    for i in range(count):
        for key in keys if i % 2 else reversed(keys):
            started = time.perf_counter()
            run_of[key](i)
            samples[key].append(time.perf_counter() - started)
    return {key: Timing(name_of(key), samples[key]) for key in keys}


def measure_sizes(aliases):
    """Search and exact lookups in every database of ``aliases`` ({alias: size}), in
    turns; returns the search ``Timing`` of each."""
    from clinic.models import Patient

    cases = {alias: search_case(alias) for alias in aliases}

    def exact_lookup(alias):
        therapist, _terms, chart_numbers = cases[alias]

        def run(i):
            number = chart_numbers[i % len(chart_numbers)]
            Patient.objects.using(alias).for_user(therapist).filter(chart_number=number).first()

        return run

    def search(alias):
        therapist, terms, _chart_numbers = cases[alias]

        def run(i):
            found = Patient.objects.using(alias).for_user(therapist).active().search(terms[i % len(terms)])
            list(found[:25])
            found.count()

        return run

    rounds = len(next(iter(cases.values()))[1]) * 10
    baselines = in_turns(
        lambda alias: f"exact chart number, {aliases[alias]:,} patients",
        {alias: exact_lookup(alias) for alias in aliases},
        300,
    )
    timings = in_turns(
        lambda alias: f"search, {aliases[alias]:,} patients",
        {alias: search(alias) for alias in aliases},
        rounds,
    )
    for alias in aliases:
        report(baselines[alias])
        report(timings[alias], baselines[alias])
        therapist, terms, _chart_numbers = cases[alias]
        plan = Patient.objects.using(alias).for_user(therapist).active().search(terms[2])[:25].explain()
        indexes = sorted(
            {using or on for using, on in re.findall(r"Index (?:Only )?Scan (?:using (\S+)|on (\S+))", plan)}
        )
        read = ", ".join(indexes) or "no index"
        print(f"    plan for {terms[2]!r} at {aliases[alias]:,} patients reads {read}")
    print(f"    load average {load():.2f}", flush=True)
    return timings


def load():
    return os.getloadavg()[0]


def build(url, sizes):
    """Fill the empty database at ``url`` with ``sizes[0]`` patients in one clinic,
    then up to each next size in clinics of 10,000 (in a process of its own: Django
    is set up once per process)."""
    setup_django(url)
    have = 0
    for number, size in enumerate(sizes):
        more = size - have
        generate(more, clinics=max(1, more // 10_000), seed=number)
        have = size
    from django.db import connections

    connections.close_all()
    return 0


def measure_series(sizes):
    small, large = sizes[0], sizes[-1]
    with contextlib.ExitStack() as stack:
        urls = {}
        for size in (small, large):
            urls[size] = stack.enter_context(scratch_postgres_database(f"{DATABASE}_{size}"))
            steps = sizes[: sizes.index(size) + 1]
            subprocess.run([sys.executable, __file__, "--build", urls[size], *map(str, steps)], check=True)
        setup_django(urls[small])
        from django.db import connections

        # The larger database beside the smaller one, with the same settings.
        connections.settings["large"] = {
            **connections.settings["default"],
            "NAME": urlsplit(urls[large]).path.lstrip("/"),
        }
        print(f"Machine: {machine()}", flush=True)
        timings = measure_sizes({"default": small, "large": large})
        print(f"Patient search, {large:,} against {small:,} patients:", flush=True)
        report(timings["large"], timings["default"], goal=GOAL)
        connections.close_all()
    return 0


def main():
    if sys.argv[1:2] == ["--build"]:
        return build(sys.argv[2], [int(size) for size in sys.argv[3:]])
    if len(SERIES) == 1:
        return measure_series(SERIES[0])
    # Django is set up once per process, against one database: a process per series.
    ratios, failed = [], False
    for sizes in SERIES:
        print(f"--- {sizes[0]:,} to {sizes[-1]:,} patients ---", flush=True)
        env = {**os.environ, "BENCH_SEARCH_SIZES": ",".join(map(str, sizes))}
        child = subprocess.Popen(
            [sys.executable, __file__], env=env, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        for line in child.stdout:
            print(line, end="", flush=True)
            if "x search," in line:
                ratios.append(line.strip())
        failed = child.wait() != 0 or failed
    print("Patient search, every series:")
    for ratio in ratios:
        print(f"  {ratio.rstrip()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
