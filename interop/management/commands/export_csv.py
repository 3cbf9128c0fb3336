"""
``manage.py export_csv --clinic SLUG [--deidentify] [-o FILE]``: a clinic's test
results for research, one row per step finding (a result without findings gives one
row with the finding columns empty).

``--deidentify`` makes a file that can leave the clinic:

* names, chart numbers, dates of birth, phone numbers and e-mail addresses are
  dropped; the age at the visit stays (in years, 90 and over written "90+");
* record ids become pseudonyms: an HMAC-SHA256 of the id, keyed from ``SECRET_KEY``
  or from ``--salt``, so the same patient has the same pseudonym in every export made
  with the same key, and nobody without the key can link it back;
* each patient's dates move by the same number of days (1 to 365, earlier or
  later), drawn from the same keyed HMAC: intervals between one patient's visits stay
  true, calendar dates do not.

Free text (complaint, notes) is never exported: it may name people.
"""

import csv
import datetime
import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from assessments.models import StepFinding, TestResult
from clinic import audit
from clinic.models import AuditEvent, Clinic

IDENTIFYING_COLUMNS = ["chart_number", "given_name", "family_name", "date_of_birth", "phone", "email"]
COLUMNS = [
    "patient_id",
    *IDENTIFYING_COLUMNS,
    "sex",
    "age_at_assessment",
    "assessment_id",
    "assessment_date",
    "assessment_status",
    "signed_date",
    "therapist_id",
    "test",
    "test_name",
    "side",
    "p1_deg",
    "p2_deg",
    "differentiation",
    "interpretation",
    "computed_interpretation",
    "step_order",
    "step",
    "step_name",
    "step_kind",
    "symptoms_reproduced",
    "symptom_kinds",
    "location",
    "intensity",
]
KEY_SALT = "glide.export_csv.deidentify"


class Pseudonymizer:
    """Stable pseudonyms and date shifts, keyed by a secret."""

    def __init__(self, secret):
        self.secret = secret

    def _hmac(self, value):
        return salted_hmac(KEY_SALT, value, secret=self.secret, algorithm="sha256")

    def pseudonym(self, kind, record_id):
        return f"{kind}-{self._hmac(f'{kind}:{record_id}').hexdigest()[:16]}"

    def date_shift(self, patient_id):
        digest = self._hmac(f"date-shift:{patient_id}").digest()
        days = int.from_bytes(digest[:4], "big") % 365 + 1
        return datetime.timedelta(days=days if digest[4] % 2 else -days)


def age_on(birth_date, day):
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class Command(BaseCommand):
    help = (
        "Export a clinic's test results and findings as CSV, one row per finding (optionally de-identified)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="The clinic's slug.")
        parser.add_argument(
            "--deidentify",
            action="store_true",
            help="Drop names and contact details, pseudonymize ids, shift each patient's dates.",
        )
        parser.add_argument(
            "--salt", default="", help="Secret for the pseudonyms and date shifts (default: from SECRET_KEY)."
        )
        parser.add_argument("-o", "--output", default="-", help="File to write (default: standard output).")
        parser.add_argument("--chunk-size", type=int, default=1000, help="Results read per database round.")

    def handle(self, *args, clinic, deidentify, salt, output, chunk_size, **options):
        clinic_slug = clinic
        clinic = Clinic.objects.filter(slug=clinic_slug).first()
        if clinic is None:
            raise CommandError(f'No clinic has the slug "{clinic_slug}".')
        pseudonymizer = Pseudonymizer(salt or None) if deidentify else None
        columns = [c for c in COLUMNS if c not in IDENTIFYING_COLUMNS] if deidentify else COLUMNS
        results = (
            TestResult.objects.filter(assessment__clinic=clinic)
            .select_related("assessment__patient", "test")
            .prefetch_related(
                models.Prefetch("findings", queryset=StepFinding.objects.select_related("step"))
            )
            .order_by("assessment__patient_id", "assessment__performed_at", "test__code", "side")
        )
        handle = self.stdout if output == "-" else open(output, "w", newline="", encoding="utf-8")  # noqa: SIM115
        rows = 0
        try:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for result in results.iterator(chunk_size=chunk_size):
                for row in self.rows(result, pseudonymizer):
                    writer.writerow(row)
                    rows += 1
        finally:
            if handle is not self.stdout:
                handle.close()
        audit.record(
            None,
            AuditEvent.Action.EXPORT,
            clinic=clinic,
            object_type="clinic",
            object_id=str(clinic.pk),
            username=_operator(),
            format="csv",
            deidentified=deidentify,
            rows=rows,
            output=output,
        )
        if output != "-":
            self.stderr.write(f"{rows} rows written to {output}.")

    def rows(self, result, pseudonymizer):
        assessment, patient = result.assessment, result.assessment.patient
        performed_on = timezone.localtime(assessment.performed_at).date()
        signed_on = timezone.localtime(assessment.signed_at).date() if assessment.signed_at else None
        age = age_on(patient.date_of_birth, performed_on)
        row = {
            "patient_id": patient.pk,
            "chart_number": patient.chart_number,
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "date_of_birth": patient.date_of_birth,
            "phone": patient.phone,
            "email": patient.email,
            "sex": patient.sex,
            "age_at_assessment": age,
            "assessment_id": assessment.pk,
            "assessment_date": performed_on,
            "assessment_status": assessment.status,
            "signed_date": signed_on,
            "therapist_id": assessment.therapist_id,
            "test": result.test.code,
            "test_name": result.test.name,
            "side": result.side,
            "p1_deg": result.range_at_onset_deg,
            "p2_deg": result.range_at_max_deg,
            "differentiation": result.differentiation,
            "interpretation": result.final_interpretation,
            "computed_interpretation": result.interpretation,
        }
        if pseudonymizer:
            shift = pseudonymizer.date_shift(patient.pk)
            row.update(
                patient_id=pseudonymizer.pseudonym("P", patient.pk),
                assessment_id=pseudonymizer.pseudonym("A", assessment.pk),
                therapist_id=pseudonymizer.pseudonym("T", assessment.therapist_id),
                assessment_date=performed_on + shift,
                signed_date=signed_on + shift if signed_on else None,
                age_at_assessment="90+" if age is not None and age >= 90 else age,
            )
        findings = list(result.findings.all())
        if not findings:
            yield row
        for finding in findings:
            yield {
                **row,
                "step_order": finding.step.order,
                "step": finding.step.code,
                "step_name": finding.step.name,
                "step_kind": finding.step.kind,
                "symptoms_reproduced": finding.symptoms_reproduced,
                "symptom_kinds": ";".join(finding.symptom_kinds or []),
                "location": finding.location,
                "intensity": finding.intensity,
            }


def _operator():
    try:
        return f"{getpass.getuser()} (manage.py)"
    except (KeyError, OSError):
        return "manage.py"
