"""``manage.py export_csv``: results and findings for research, one row per finding,
and a de-identified variant that can leave the clinic."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from assessments import services
from assessments.models import StepFinding
from clinic.models import AuditEvent

from ..factories import PatientFactory, standard_test

pytestmark = pytest.mark.django_db

PERFORMED_AT = timezone.make_aware(datetime.datetime(2026, 3, 10, 10, 30))


def export_rows(**options):
    out = io.StringIO()
    call_command("export_csv", clinic="harbour", stdout=out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def visit(therapist, patient, performed_at=PERFORMED_AT):
    test = standard_test("SLR")
    first, second = test.steps.all()[:2]
    return services.create_assessment(
        therapist=therapist,
        patient=patient,
        performed_at=performed_at,
        complaint=f"{patient.given_name} feels a pull behind the thigh",
        results=[
            {
                "test": test,
                "side": "left",
                "range_at_onset_deg": 55,
                "range_at_max_deg": 70,
                "differentiation": "increased",
                "findings": [
                    {
                        "step": first,
                        "symptoms_reproduced": "partial",
                        "symptom_kinds": ["stretch"],
                        "intensity": 3,
                    },
                    {
                        "step": second,
                        "symptoms_reproduced": "full",
                        "symptom_kinds": ["pain", "numbness"],
                        "location": "back of thigh",
                        "intensity": 6,
                    },
                ],
            },
            {"test": test, "side": "right", "range_at_onset_deg": 80},
        ],
    )


@pytest.fixture
def recorded(therapist, patient):
    patient.phone, patient.email = "+1 555 0142", "ada@example.org"
    patient.save()
    return visit(therapist, patient)


def test_one_row_per_finding_with_the_test_side_ranges_and_what_was_found(recorded):
    rows = export_rows()

    left = [row for row in rows if row["side"] == "left"]
    assert len(left) == StepFinding.objects.filter(result__side="left").count() == 2
    full = next(row for row in left if row["symptoms_reproduced"] == "full")
    assert full["test"] == "SLR" and full["p1_deg"] == "55" and full["p2_deg"] == "70"
    assert full["differentiation"] == "increased" and full["interpretation"] == "positive"
    assert full["symptom_kinds"] == "pain;numbness" and full["location"] == "back of thigh"
    assert full["intensity"] == "6" and full["assessment_date"] == "2026-03-10"
    assert full["family_name"] == "Byron" and full["chart_number"] == "A-1001"


def test_a_result_without_findings_still_has_its_row(recorded):
    (right,) = [row for row in export_rows() if row["side"] == "right"]

    assert right["p1_deg"] == "80" and right["step"] == "" and right["interpretation"] == "inconclusive"


def test_the_deidentified_file_holds_no_name_contact_or_birth_date(recorded, patient):
    out = io.StringIO()
    call_command("export_csv", clinic="harbour", deidentify=True, stdout=out)
    text = out.getvalue()

    for secret in (
        patient.given_name,
        patient.family_name,
        patient.chart_number,
        patient.phone,
        patient.email,
        patient.date_of_birth.isoformat(),
        str(patient.pk),
        "pull behind the thigh",
    ):
        assert secret not in text
    header = text.splitlines()[0].split(",")
    assert not {"given_name", "family_name", "phone", "email", "date_of_birth", "chart_number"} & set(header)
    assert {row["age_at_assessment"] for row in csv.DictReader(io.StringIO(text))} == {"41"}


def test_the_same_patient_keeps_the_same_pseudonym_across_runs(recorded):
    first = export_rows(deidentify=True)
    second = export_rows(deidentify=True)

    assert [row["patient_id"] for row in first] == [row["patient_id"] for row in second]
    assert first[0]["patient_id"].startswith("P-")


def test_the_pseudonym_depends_on_the_key(recorded):
    with_secret_key = export_rows(deidentify=True)[0]["patient_id"]
    with_salt = export_rows(deidentify=True, salt="study-42")[0]["patient_id"]
    with override_settings(SECRET_KEY="another-secret-key-for-another-installation-0123456789"):
        elsewhere = export_rows(deidentify=True)[0]["patient_id"]

    assert len({with_secret_key, with_salt, elsewhere}) == 3


def test_each_patients_dates_shift_by_their_own_stable_offset_keeping_intervals(therapist, clinic):
    patients = [PatientFactory(clinic=clinic) for _ in range(4)]
    for patient in patients:
        visit(therapist, patient)
        visit(therapist, patient, PERFORMED_AT + datetime.timedelta(days=9))

    rows = export_rows(deidentify=True)

    dates = {}
    for row in rows:
        dates.setdefault(row["patient_id"], set()).add(datetime.date.fromisoformat(row["assessment_date"]))
    offsets = set()
    for visits in dates.values():
        earlier, later = sorted(visits)
        assert (later - earlier).days == 9
        assert earlier != PERFORMED_AT.date()
        offsets.add(earlier - PERFORMED_AT.date())
    assert len(offsets) > 1
    assert [row["assessment_date"] for row in export_rows(deidentify=True)] == [
        row["assessment_date"] for row in rows
    ]


def test_an_export_to_a_file_leaves_one_audit_record(recorded, tmp_path):
    target = tmp_path / "study.csv"

    call_command("export_csv", clinic="harbour", deidentify=True, output=str(target), stderr=io.StringIO())

    assert len(target.read_text().splitlines()) == 1 + 3
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert event.clinic.slug == "harbour"
    assert (event.detail["format"], event.detail["deidentified"], event.detail["rows"]) == ("csv", True, 3)


def test_another_clinics_results_are_not_exported(recorded, other_clinic, outsider):
    visit(outsider, PatientFactory(clinic=other_clinic, family_name="Elsewhere"))

    rows = export_rows()

    assert {row["family_name"] for row in rows} == {"Byron"}


def test_an_unknown_clinic_is_an_error(db):
    with pytest.raises(CommandError):
        export_rows()
