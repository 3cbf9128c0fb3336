"""
Patient search at 10,000 and 100,000 patients on PostgreSQL.

A therapist of one clinic searches the way the front desk does: a chart number, a
family name, a name as it is being typed, a given and family name together, a common
given name. Each search is what the patient list runs: the first page of 25 and the
count for the pager. The database first holds 10,000 patients in one clinic, then
90,000 more in nine other clinics (the group's other sites): the searching clinic's
own patients are the same, the tables ten times larger. Goal: the median at 100,000
within 1.2x of the median at 10,000.

The exact chart-number lookup through the unique index is the baseline of each
size: the fastest a patient can be found at all.

The same is measured at 2,000 and 20,000 patients (one clinic of 2,000, then 18,000
more in another), where a search's fixed costs weigh more. Each series runs in a
process and a database of its own (``glide_bench``, made unique to the process,
created and dropped there), one after the other, and the run ends with both ratios.
``BENCH_SEARCH_SIZES=2000,20000`` runs one series; series are separated by ``;``
(the default is ``2000,20000;10000,100000``).

It also times ``generate_dataset`` (rows per second, and the time for 100,000
patients) on the way.
"""

import os
import random
import re
import subprocess
import sys
import time

from common import machine, measure, report, scratch_postgres_database, setup_django

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
    chart_numbers = sorted(Patient.objects.filter(clinic=clinic).values_list("chart_number", flat=True))
    picked = Patient.objects.filter(clinic=clinic, chart_number__in=rng.sample(chart_numbers, count))
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


def measure_size(size):
    from clinic.models import Clinic, Patient, User

    clinic = Clinic.objects.get(slug="generated-1")
    therapist = User.objects.get(username="generated-1-therapist-2")
    terms = search_terms(clinic)
    chart_numbers = [term for term in terms if term.startswith("G-")]
    rounds = iter(range(10**9))

    def exact_lookup():
        number = chart_numbers[next(rounds) % len(chart_numbers)]
        Patient.objects.for_user(therapist).filter(chart_number=number).first()

    def search():
        found = Patient.objects.for_user(therapist).active().search(terms[next(rounds) % len(terms)])
        list(found[:25])
        found.count()

    baseline = measure(f"exact chart number, {size:,} patients", exact_lookup, repeat=300)
    timing = measure(f"search, {size:,} patients", search, repeat=len(terms) * 10)
    report(baseline)
    report(timing, baseline)
    plan = Patient.objects.for_user(therapist).active().search(terms[2])[:25].explain()
    indexes = sorted(
        {using or on for using, on in re.findall(r"Index (?:Only )?Scan (?:using (\S+)|on (\S+))", plan)}
    )
    print(f"    plan for {terms[2]!r} reads {', '.join(indexes) or 'no index'}; load average {load():.2f}")
    return timing


def load():
    return os.getloadavg()[0]


def measure_series(sizes):
    with scratch_postgres_database(DATABASE) as url:
        setup_django(url)
        print(f"Machine: {machine()}", flush=True)
        timings, have = [], 0
        for number, size in enumerate(sizes):
            more = size - have
            generate(more, clinics=max(1, more // 10_000), seed=number)
            have = size
            timings.append(measure_size(size))
        if len(timings) > 1:
            print(f"Patient search, {sizes[-1]:,} against {sizes[0]:,} patients:", flush=True)
            report(timings[-1], timings[0], goal=GOAL)
        from django.db import connections

        connections.close_all()
    return 0


def main():
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
