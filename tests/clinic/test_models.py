"""People, patients and the audit trail."""

import pytest
from django.db import IntegrityError, transaction

from clinic import audit
from clinic.models import AuditEvent, Clinic, Patient, ProtectedRecordError

from ..factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_chart_numbers_are_unique_within_a_clinic(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientFactory(clinic=patient.clinic, chart_number=patient.chart_number)


def test_the_same_chart_number_may_exist_in_another_clinic(patient, other_clinic):
    assert PatientFactory(clinic=other_clinic, chart_number=patient.chart_number).pk


def test_a_patient_is_archived_not_deleted(patient):
    with pytest.raises(ProtectedRecordError):
        patient.delete()
    with pytest.raises(ProtectedRecordError):
        Patient.objects.filter(pk=patient.pk).delete()
    patient.archive()
    assert Patient.objects.archived().get() == patient
    assert not Patient.objects.active().exists()


def test_restoring_an_archived_patient(patient):
    patient.archive()
    patient.restore()
    assert Patient.objects.active().get() == patient
    assert patient.version == 3


def test_a_user_sees_only_the_patients_of_their_clinics(patient, therapist, outsider):
    assert list(Patient.objects.for_user(therapist)) == [patient]
    assert not Patient.objects.for_user(outsider).exists()


def test_clinics_for_user(clinic, other_clinic, therapist):
    assert list(Clinic.objects.for_user(therapist)) == [clinic]


def test_patient_search_matches_names_and_chart_numbers(patient):
    PatientFactory(clinic=patient.clinic, given_name="Grace", family_name="Hopper", chart_number="B-2")
    assert list(Patient.objects.search("byr")) == [patient]
    assert list(Patient.objects.search("A-1001")) == [patient]
    assert list(Patient.objects.search("ada byron")) == [patient]


def test_roles_decide_who_writes(clinic, therapist, clinic_admin, viewer, outsider):
    assert therapist.can_write_clinical(clinic) and clinic_admin.can_write_clinical(clinic)
    assert not viewer.can_write_clinical(clinic)
    assert not outsider.can_write_clinical(clinic)
    assert clinic_admin.is_clinic_admin(clinic) and not therapist.is_clinic_admin(clinic)


def test_audit_events_are_append_only(patient, therapist, rf):
    request = rf.get("/", HTTP_USER_AGENT="pytest")
    request.user = therapist
    event = audit.record(request, AuditEvent.Action.VIEW, patient)
    assert (event.patient, event.clinic, event.actor) == (patient, patient.clinic, therapist)
    assert event.ip_address == "127.0.0.1" and event.user_agent == "pytest"
    event.action = AuditEvent.Action.DELETE
    with pytest.raises(ProtectedRecordError):
        event.save()
    with pytest.raises(ProtectedRecordError):
        event.delete()
    with pytest.raises(ProtectedRecordError):
        AuditEvent.objects.all().update(action="delete")
    with pytest.raises(ProtectedRecordError):
        AuditEvent.objects.all().delete()


def test_an_audit_event_names_its_record_type_as_people_read_it():
    assert AuditEvent(object_type="testresult").record_type_name == "Test result"
    assert AuditEvent(object_type="retired").record_type_name == "Retired"


def test_a_long_browser_name_keeps_its_platform_and_version():
    agent = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/140.0.0.0 Safari/537.36"
    )
    short = AuditEvent(user_agent=agent).short_user_agent
    assert short.startswith("(Windows NT 10.0")
    assert short.endswith("Safari/537.36")
    assert len(short) <= 44


def test_an_audit_events_detail_reads_as_short_pairs():
    event = AuditEvent(status_code=403, detail={"fields": ["phone", "email"], "part": "", "via_page": "yes"})
    assert event.detail_items == [("status", "403"), ("fields", "phone, email"), ("via page", "yes")]
