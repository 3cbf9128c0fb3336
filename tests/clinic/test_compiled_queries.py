"""``Patient.objects.find_for_user``: the scoped queryset ``for_user`` compiled once per
connection and number of the user's clinics, and the same rule as the queryset."""

import uuid

from django.contrib.auth.models import AnonymousUser

from clinic.models import Membership, Patient
from tests.factories import MembershipFactory, PatientFactory, member


def test_a_patient_of_the_users_clinic_is_found_with_their_id_and_clinic(therapist, clinic):
    patient = PatientFactory(clinic=clinic)

    found = Patient.objects.find_for_user(therapist, patient.pk)

    assert (found.pk, found.clinic_id) == (patient.pk, clinic.pk)


def test_another_clinics_patient_is_not_found(therapist, other_clinic):
    patient = PatientFactory(clinic=other_clinic)

    assert Patient.objects.find_for_user(therapist, patient.pk) is None


def test_an_unknown_id_is_not_found(therapist):
    assert Patient.objects.find_for_user(therapist, uuid.uuid4()) is None


def test_the_statement_compiled_for_one_user_serves_another_with_as_many_clinics(
    therapist, clinic, other_clinic
):
    theirs = PatientFactory(clinic=other_clinic)
    Patient.objects.find_for_user(therapist, PatientFactory(clinic=clinic).pk)
    colleague = member(other_clinic, username="colleague")

    assert Patient.objects.find_for_user(colleague, theirs.pk) == theirs
    assert Patient.objects.find_for_user(therapist, theirs.pk) is None


def test_a_member_of_two_clinics_finds_the_patients_of_both(therapist, clinic, other_clinic):
    MembershipFactory(user=therapist, clinic=other_clinic, role=Membership.Role.THERAPIST)
    ours, theirs = PatientFactory(clinic=clinic), PatientFactory(clinic=other_clinic)

    assert Patient.objects.find_for_user(therapist, ours.pk) == ours
    assert Patient.objects.find_for_user(therapist, theirs.pk) == theirs


def test_a_user_without_a_clinic_finds_nobody(clinic, django_user_model):
    patient = PatientFactory(clinic=clinic)
    loner = django_user_model.objects.create_user("loner")

    assert Patient.objects.find_for_user(loner, patient.pk) is None
    assert Patient.objects.find_for_user(AnonymousUser(), patient.pk) is None
