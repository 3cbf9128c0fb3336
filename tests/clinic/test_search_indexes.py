"""Patient search stays fast at a hundred thousand patients: on PostgreSQL, the
name and chart-number lookups read trigram indexes instead of the whole table, each
led by the clinic, so a search reads only the searching clinic's matches."""

import pytest
from django.db import connection

from clinic.models import Patient
from tests.factories import ClinicFactory, PatientFactory

TRIGRAM_INDEXES = {
    "clinic_patient_clinic_given_name_trgm",
    "clinic_patient_clinic_family_name_trgm",
    "clinic_patient_clinic_chart_number_trgm",
}


def patient_indexes():
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Patient._meta.db_table))


@pytest.mark.postgres
def test_patient_search_reads_the_trigram_indexes(therapist, clinic):
    other_clinics = ClinicFactory.create_batch(4)
    Patient.objects.bulk_create(
        PatientFactory.build(clinic=([clinic, *other_clinics])[number % 5], chart_number=f"A-{number:05d}")
        for number in range(5000)
    )
    with connection.cursor() as cursor:
        for index in TRIGRAM_INDEXES:  # what autovacuum does to a GIN index after many inserts
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE clinic_patient")
    plan = Patient.objects.for_user(therapist).active().search("byro 0042").explain()
    assert "Seq Scan on clinic_patient" not in plan
    assert all(f"Bitmap Index Scan on {index}" in plan for index in TRIGRAM_INDEXES), plan


@pytest.mark.postgres
def test_a_search_inside_a_clinic_reads_that_clinics_entries_only(therapist, clinic):
    other_clinics = ClinicFactory.create_batch(4)
    Patient.objects.bulk_create(
        PatientFactory.build(clinic=([clinic, *other_clinics])[number % 5], given_name="Ana")
        for number in range(5000)
    )
    with connection.cursor() as cursor:
        for index in TRIGRAM_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE clinic_patient")
    plan = Patient.objects.for_user(therapist).active().search("ana").explain()
    index_conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert index_conditions, plan
    assert all("clinic_id = " in line for line in index_conditions), plan


@pytest.mark.postgres
def test_the_trigram_indexes_cover_the_expressions_the_search_compares(db):
    query = str(Patient.objects.search("ada").query)
    assert 'UPPER("clinic_patient"."family_name"::text) LIKE UPPER(' in query
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'clinic_patient' AND indexname LIKE '%%_trgm'"
        )
        definitions = sorted(row[0] for row in cursor.fetchall())
    assert len(definitions) == 3
    assert "USING gin (clinic_id, upper((family_name)::text) gin_trgm_ops)" in " ".join(definitions)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite side of the migration")
def test_sqlite_searches_without_trigram_indexes(patient):
    assert not TRIGRAM_INDEXES & patient_indexes()
    assert list(Patient.objects.search("yro")) == [patient]
