"""The lists a clinic reads most walk an index in their display order and stop after
a page, however many rows the database holds for other clinics."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.models import Assessment
from clinic.models import Patient, User

pytestmark = pytest.mark.postgres


@pytest.fixture
def therapist_among_clinics(db):
    call_command("generate_dataset", patients=30, clinics=3, stdout=io.StringIO())
    with connection.cursor() as cursor:
        # Small tables read faster whole; the plans at scale are the ones without those shortcuts.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return User.objects.get(username="generated-2-therapist-1")


def assert_walks_index_in_order(queryset, index_prefix):
    plan = queryset.explain()
    assert f"Index Scan using {index_prefix}" in plan, plan
    assert "Sort" not in plan, plan


def test_the_patient_list_walks_the_clinic_name_index(therapist_among_clinics):
    assert_walks_index_in_order(
        Patient.objects.for_user(therapist_among_clinics).active()[:25], "clinic_pati_clinic_"
    )


def test_a_clinics_assessments_walk_the_clinic_date_index(therapist_among_clinics):
    assert_walks_index_in_order(
        Assessment.objects.for_user(therapist_among_clinics)[:25], "assessments_clinic_"
    )


def test_unsigned_notes_walk_the_drafts_index(therapist_among_clinics):
    assert_walks_index_in_order(
        Assessment.objects.for_user(therapist_among_clinics).drafts()[:25], "assessment_clinic_drafts_idx"
    )


def test_a_patients_assessments_walk_the_patient_date_index(therapist_among_clinics):
    patient = Patient.objects.for_user(therapist_among_clinics).first()
    assert_walks_index_in_order(
        Assessment.objects.for_user(therapist_among_clinics).filter(patient=patient), "assessments_patient_"
    )
