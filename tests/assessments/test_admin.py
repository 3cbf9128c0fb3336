"""The Django admin's pages of clinical records: inline rows show and save what they
hold, and past versions are named after their record."""

import pytest
from django.urls import reverse

from assessments.models import PlanItem

from ..factories import PlanFactory, PlanItemFactory, UserFactory, standard_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def plan(patient, therapist):
    plan = PlanFactory(patient=patient, therapist=therapist)
    for order, slug in enumerate(["tibial-slider", "median-nerve-slider"]):
        PlanItemFactory(plan=plan, exercise=standard_exercise(slug), order=order)
    return plan


def submitted(response):
    """The admin form's fields, as the page's own form would send them back."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += formset.forms
        data |= {formset.management_form.add_prefix(name): value
                 for name, value in formset.management_form.initial.items()}  # fmt: skip
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


def test_each_exercise_of_a_plan_shows_chosen_in_its_row(staff_client, plan):
    response = staff_client.get(reverse("admin:assessments_plan_change", args=[plan.pk]))

    chosen = [
        (form.prefix, str(form["exercise"].value()))
        for form in response.context["inline_admin_formsets"][0].formset.forms
    ]
    for prefix, exercise in chosen:
        select = response.text[response.text.index(f'name="{prefix}-exercise"') :]
        select = select[: select.index("</select>")]
        assert f'<option value="{exercise}" selected>' in select


def test_an_exercise_changed_on_the_admin_plan_page_is_saved(staff_client, plan):
    url = reverse("admin:assessments_plan_change", args=[plan.pk])
    data = submitted(staff_client.get(url))
    tibial = PlanItem.objects.get(plan=plan, exercise__slug="tibial-slider")
    row = next(key for key, value in data.items() if key.endswith("-id") and str(value) == str(tibial.pk))
    data[row.replace("-id", "-exercise")] = standard_exercise("ulnar-nerve-slider").pk

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert sorted(plan.items.values_list("exercise__slug", flat=True)) == [
        "median-nerve-slider",
        "ulnar-nerve-slider",
    ]


def test_each_past_version_of_a_plan_is_named_after_its_patient(staff_client, plan, patient):
    plan.goals = "Walk to the shop"
    plan.save()

    response = staff_client.get(reverse("admin:assessments_plan_history", args=[plan.pk]))

    versions = response.text[response.text.index('id="change-history"') :]
    versions = versions[: versions.index("</table>")]
    assert versions.count(f"Plan for {patient}") == 2
