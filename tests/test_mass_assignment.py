"""Mass assignment: read-only fields sent in a request are ignored or refused,
never stored. Hypothesis injects each one, with hostile and arbitrary values, into
every write of patients, assessments and plans, and the stored record is compared
with what an honest request would have stored."""

import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, Plan
from clinic.models import Patient

from .api import api_client, plan_payload, slr_payload
from .factories import PlanFactory

pytestmark = pytest.mark.django_db

READ_ONLY_FIELDS = (
    "id",
    "clinic",
    "therapist",
    "signed_at",
    "signed_by",
    "status",
    "version",
    "created_at",
    "updated_at",
    "interpretation",
    "archived_at",
)
# A plan's status (active, stopped) is the therapist's to change.
PLAN_READ_ONLY_FIELDS = tuple(name for name in READ_ONLY_FIELDS if name != "status")

FORGED_ID = "00000000-0000-4000-8000-00000000f00d"
LONG_AGO = "2001-01-01T00:00:00Z"

examples = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-1, max_value=10**9),
    st.text(max_size=40),
    st.just(LONG_AGO),
    st.just(FORGED_ID),
)


def hostile(data, name, outsider, other_clinic):
    """A value for ``name`` chosen to do harm if it were stored, or any value at all."""
    aimed = {
        "id": [FORGED_ID],
        "clinic": [other_clinic.slug, str(other_clinic.pk), {"slug": other_clinic.slug}],
        "therapist": [str(outsider.pk), {"id": str(outsider.pk)}],
        "signed_by": [str(outsider.pk), {"id": str(outsider.pk)}],
        "status": ["signed", "stopped"],
        "version": [99, 0, "99"],
        "interpretation": ["positive", "negative"],
    }.get(name, [LONG_AGO])
    return data.draw(st.one_of(st.sampled_from(aimed), any_value), label=name)


def forged(data, names, outsider, other_clinic):
    return {name: hostile(data, name, outsider, other_clinic) for name in names}


def with_results_forged(payload, values):
    """Results carry read-only fields of their own (``id``, ``interpretation``)."""
    return {**payload, **values, "results": [{**payload["results"][0], **values}, *payload["results"][1:]]}


def interpretations(assessment):
    return list(assessment.results.order_by("test_id", "side").values_list("interpretation", flat=True))


def assert_created_honestly(record, *, clinic, therapist=None, started):
    assert str(record.pk) != FORGED_ID
    assert record.clinic == clinic
    assert record.version == 1
    assert record.created_at >= started
    assert record.updated_at >= started
    if therapist is not None:
        assert record.therapist == therapist


def assert_write_refused_or_created(response, model, count_before):
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert model.objects.count() == count_before
        return None
    return model.objects.get(pk=response.json()["id"])


def assert_changed_only_by_one_version(response, stored, before):
    assert response.status_code in (200, 400), response.content
    assert stored.version == before.version + (1 if response.status_code == 200 else 0)
    assert stored.created_at == before.created_at
    assert stored.updated_at >= before.updated_at


# --- Patients ------------------------------------------------------------------


@examples
@given(names=st.lists(st.sampled_from(READ_ONLY_FIELDS), min_size=1, unique=True), data=st.data())
def test_a_new_patient_keeps_none_of_the_read_only_fields_sent(
    therapist, clinic, outsider, other_clinic, names, data
):
    payload = {
        "chart_number": f"M-{uuid.uuid4().hex[:8]}",
        "given_name": "Grace",
        "family_name": "Hopper",
        "date_of_birth": "1985-03-02",
    }
    payload = {**payload, **forged(data, names, outsider, other_clinic)}
    started, count_before = timezone.now(), Patient.objects.count()
    response = api_client(therapist).post("/api/v1/patients/", payload, format="json")
    patient = assert_write_refused_or_created(response, Patient, count_before)
    if patient is not None:
        assert_created_honestly(patient, clinic=clinic, started=started)
        assert patient.archived_at is None


@examples
@given(names=st.lists(st.sampled_from(READ_ONLY_FIELDS), min_size=1, unique=True), data=st.data())
def test_a_patient_change_keeps_none_of_the_read_only_fields_sent(
    therapist, patient, outsider, other_clinic, names, data
):
    before = Patient.objects.get(pk=patient.pk)
    payload = {"phone": "+1 555 0199", **forged(data, names, outsider, other_clinic)}
    response = api_client(therapist).patch(
        f"/api/v1/patients/{patient.pk}/", payload, format="json", HTTP_IF_MATCH=f'"{before.version}"'
    )
    stored = Patient.objects.get(pk=patient.pk)
    assert_changed_only_by_one_version(response, stored, before)
    assert (stored.clinic_id, stored.archived_at) == (before.clinic_id, None)


# --- Assessments ---------------------------------------------------------------


@pytest.fixture
def honest_interpretations(therapist, patient):
    """What the SLR payload's results are interpreted as when nothing is injected."""
    response = api_client(therapist).post("/api/v1/assessments/", slr_payload(patient), format="json")
    return interpretations(Assessment.objects.get(pk=response.json()["id"]))


def assert_still_an_honest_draft(assessment, *, therapist, honest_interpretations):
    assert assessment.status == Assessment.Status.DRAFT
    assert (assessment.signed_at, assessment.signed_by) == (None, None)
    assert assessment.therapist == therapist
    assert interpretations(assessment) == honest_interpretations
    assert FORGED_ID not in {str(pk) for pk in assessment.results.values_list("pk", flat=True)}


@examples
@given(names=st.lists(st.sampled_from(READ_ONLY_FIELDS), min_size=1, unique=True), data=st.data())
def test_a_new_assessment_keeps_none_of_the_read_only_fields_sent(
    therapist, clinic, patient, outsider, other_clinic, honest_interpretations, names, data
):
    payload = with_results_forged(slr_payload(patient), forged(data, names, outsider, other_clinic))
    started, count_before = timezone.now(), Assessment.objects.count()
    response = api_client(therapist).post("/api/v1/assessments/", payload, format="json")
    assessment = assert_write_refused_or_created(response, Assessment, count_before)
    if assessment is not None:
        assert_created_honestly(assessment, clinic=clinic, therapist=therapist, started=started)
        assert_still_an_honest_draft(
            assessment, therapist=therapist, honest_interpretations=honest_interpretations
        )


@examples
@given(names=st.lists(st.sampled_from(READ_ONLY_FIELDS), min_size=1, unique=True), data=st.data())
def test_an_assessment_change_keeps_none_of_the_read_only_fields_sent(
    therapist, clinic, patient, outsider, other_clinic, honest_interpretations, names, data
):
    draft = Assessment.objects.filter(patient=patient).first()
    before = Assessment.objects.get(pk=draft.pk)
    honest = {**slr_payload(patient), "complaint": "Worse after a long drive"}
    payload = with_results_forged(honest, forged(data, names, outsider, other_clinic))
    response = api_client(therapist).patch(
        f"/api/v1/assessments/{draft.pk}/", payload, format="json", HTTP_IF_MATCH=f'"{before.version}"'
    )
    stored = Assessment.objects.get(pk=draft.pk)
    assert_changed_only_by_one_version(response, stored, before)
    assert stored.clinic == clinic
    assert_still_an_honest_draft(stored, therapist=therapist, honest_interpretations=honest_interpretations)


# --- Plans ---------------------------------------------------------------------


@examples
@given(names=st.lists(st.sampled_from(PLAN_READ_ONLY_FIELDS), min_size=1, unique=True), data=st.data())
def test_a_new_plan_keeps_none_of_the_read_only_fields_sent(
    therapist, clinic, patient, outsider, other_clinic, names, data
):
    payload = {**plan_payload(patient), **forged(data, names, outsider, other_clinic)}
    started, count_before = timezone.now(), Plan.objects.count()
    response = api_client(therapist).post("/api/v1/plans/", payload, format="json")
    plan = assert_write_refused_or_created(response, Plan, count_before)
    if plan is not None:
        assert_created_honestly(plan, clinic=clinic, therapist=therapist, started=started)


@examples
@given(names=st.lists(st.sampled_from(PLAN_READ_ONLY_FIELDS), min_size=1, unique=True), data=st.data())
def test_a_plan_change_keeps_none_of_the_read_only_fields_sent(
    therapist, clinic, patient, outsider, other_clinic, names, data
):
    plan = Plan.objects.filter(patient=patient).first() or PlanFactory(patient=patient, therapist=therapist)
    before = Plan.objects.get(pk=plan.pk)
    payload = {"goals": "Walk to the shops", **forged(data, names, outsider, other_clinic)}
    response = api_client(therapist).patch(
        f"/api/v1/plans/{plan.pk}/", payload, format="json", HTTP_IF_MATCH=f'"{before.version}"'
    )
    stored = Plan.objects.get(pk=plan.pk)
    assert_changed_only_by_one_version(response, stored, before)
    assert (stored.clinic, stored.therapist) == (clinic, therapist)
