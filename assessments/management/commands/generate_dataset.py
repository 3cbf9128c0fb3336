"""
``manage.py generate_dataset --patients N``: fill the database with believable
synthetic clinics, patients, visits, findings and plans, fast enough for a hundred
thousand patients (see ``assessments.dataset`` for what is generated and how).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from assessments.dataset import WRITE_ORDER, generate


class Command(BaseCommand):
    help = "Generate synthetic clinics, patients, assessments with findings, and plans, in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, required=True, help="How many patients to generate.")
        parser.add_argument(
            "--clinics",
            type=int,
            default=None,
            help="How many new clinics share the patients (default: one per 10,000 patients, at least one).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed of the random choices (default 0).")
        parser.add_argument(
            "--batch", type=int, default=2000, help="Patients written per transaction (default 2000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes writing batches side by side, PostgreSQL only (default 1; 2 on two cores).",
        )

    def handle(self, *args, patients, clinics, seed, batch, workers, verbosity, **options):
        if min(patients, batch, workers, clinics or 1) < 1:
            raise CommandError("--patients, --clinics, --batch and --workers must be positive.")
        started = time.perf_counter()

        def progress(totals):
            if verbosity > 1:
                rows = sum(totals.values())
                self.stdout.write(
                    f"  {totals[WRITE_ORDER[0]]:,}/{patients:,} patients, {rows:,} rows, "
                    f"{rows / (time.perf_counter() - started):,.0f} rows/s"
                )

        try:
            staff, totals = generate(
                patients,
                clinics or max(1, patients // 10_000),
                seed=seed,
                batch_size=batch,
                workers=workers,
                on_batch=progress,
            )
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from error

        elapsed = time.perf_counter() - started
        rows = sum(totals.values())
        self.stdout.write(
            ", ".join(f"{count:,} {model._meta.verbose_name_plural}" for model, count in totals.items())
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {rows:,} rows in {len(staff)} clinics in {elapsed:.1f} s "
                f"({rows / elapsed:,.0f} rows/s, {patients / elapsed:,.0f} patients/s)."
            )
        )
