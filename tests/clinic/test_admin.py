"""The Django admin's pages of people and clinics: each membership row shows the
clinic and the person it joins."""

import re

import pytest
from django.urls import reverse

from ..factories import ClinicFactory, MembershipFactory, UserFactory

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
