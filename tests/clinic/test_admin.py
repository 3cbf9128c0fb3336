"""The Django admin's pages of people and clinics: each membership row shows the
clinic and the person it joins."""

import re

import pytest
from django.urls import reverse

from ..factories import PASSWORD, ClinicFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def chosen(response, field):
    """What each membership row's select shows chosen."""
    values = []
    for form in response.context["inline_admin_formsets"][0].formset.forms:
        select = response.text[response.text.index(f'name="{form.add_prefix(field)}"') :]
        select = select[: select.index("</select>")]
        values.append(re.search(r'<option value="([^"]+)" selected>', select).group(1))
    return sorted(values)


def test_each_clinic_of_a_user_shows_chosen_in_its_row(staff_client, therapist, clinic):
    lakeside = ClinicFactory(name="Lakeside Physio")
    MembershipFactory(user=therapist, clinic=lakeside)

    response = staff_client.get(reverse("admin:clinic_user_change", args=[therapist.pk]))

    assert chosen(response, "clinic") == sorted([str(clinic.pk), str(lakeside.pk)])


def test_each_member_of_a_clinic_shows_chosen_in_its_row(staff_client, therapist, clinic_admin, clinic):
    response = staff_client.get(reverse("admin:clinic_clinic_change", args=[clinic.pk]))

    assert chosen(response, "user") == sorted([str(therapist.pk), str(clinic_admin.pk)])


# The admin is for Glide's own operators (superusers). A clinic admin given is_staff
# still sees nothing there: every clinic's records would be in one list.


@pytest.fixture
def staff_clinic_admin(clinic_admin):
    clinic_admin.is_staff = True
    clinic_admin.save()
    return clinic_admin


@pytest.fixture
def clinic_records(clinic, patient, therapist):
    from clinic import audit
    from clinic.models import AuditEvent

    from ..factories import AssessmentFactory

    assessment = AssessmentFactory(patient=patient, therapist=therapist, complaint="Tingling in the calf")
    event = audit.record(None, AuditEvent.Action.VIEW, patient, actor=therapist)
    return {"patient": patient, "assessment": assessment, "event": event}


def admin_addresses(records):
    patient, assessment, event = records["patient"], records["assessment"], records["event"]
    return [
        "/admin/",
        reverse("admin:clinic_patient_changelist"),
        reverse("admin:clinic_patient_change", args=[patient.pk]),
        reverse("admin:clinic_patient_history", args=[patient.pk]),
        reverse("admin:assessments_assessment_changelist"),
        reverse("admin:assessments_assessment_change", args=[assessment.pk]),
        reverse("admin:clinic_auditevent_changelist"),
        reverse("admin:clinic_auditevent_change", args=[event.pk]),
        reverse("admin:autocomplete") + "?app_label=clinic&model_name=membership&field_name=clinic",
    ]


def test_a_staff_clinic_admin_sees_no_patient_assessment_or_audit_event(
    client, staff_clinic_admin, clinic_records
):
    client.force_login(staff_clinic_admin)
    for address in admin_addresses(clinic_records):
        response = client.get(address, follow=True)
        assert response.redirect_chain[0][0].startswith(reverse("admin:login")), address
        for clinical_text in ("Byron", "A-1001", "Tingling in the calf"):
            assert clinical_text not in response.text, address


def test_the_refusal_says_the_admin_is_for_glides_operators(client, staff_clinic_admin):
    client.force_login(staff_clinic_admin)
    response = client.get("/admin/", follow=True)
    assert "for Glide&#x27;s own operators only" in response.text
    assert 'href="/"' in response.text


def test_the_admin_sign_in_refuses_a_staff_member_who_is_not_a_superuser(client, staff_clinic_admin):
    response = client.post(
        reverse("admin:login"), {"username": staff_clinic_admin.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == [
        "This administration is for Glide's own operators only. Clinic admins and therapists "
        "work in the app, where each sees their own clinic."
    ]
    assert "_auth_user_id" not in client.session


def test_a_superuser_signs_in_to_the_admin(client):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)
