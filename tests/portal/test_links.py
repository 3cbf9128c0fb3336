"""A patient link: its secret, where it is stored (nowhere), when it ends."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Plan
from portal import services
from portal.models import PatientLink, hash_of

from ..factories import PatientLinkFactory, PlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def test_a_secret_carries_at_least_128_random_bits(link):
    other = PatientLinkFactory(plan=link.plan)

    assert len(link.secret) == 24  # 18 bytes, base64url
    assert link.secret != other.secret
    assert len(link.salt) == 32  # 128 bits of salt from secrets.token_hex


def test_only_a_hash_of_the_secret_is_stored(link):
    row = PatientLink.objects.filter(pk=link.pk).values().get()

    assert link.secret not in str(row)
    assert row["secret_hash"] == hash_of(link.secret)


def test_the_secret_is_the_same_on_every_reprint(link):
    reloaded = PatientLink.objects.get(pk=link.pk)

    assert reloaded.secret == link.secret
    assert PatientLink.objects.with_secret(link.secret).get() == link


def test_rotating_the_secret_key_ends_every_link(link, settings):
    secret = link.secret
    settings.SECRET_KEY = "a-brand-new-key-for-this-server-" + "x" * 20

    assert PatientLink.objects.get(pk=link.pk).secret != secret


def test_a_link_ends_by_default_14_days_after_the_review_at_the_end_of_the_clinics_day(plan, therapist):
    plan.clinic.time_zone = "America/Denver"
    link = services.issue_link(plan, by=therapist)

    local = timezone.localtime(link.expires_at, plan.clinic.zone)
    assert local.date() == plan.review_date + datetime.timedelta(days=14)
    assert (local.hour, local.minute) == (23, 59)


def test_an_open_link_has_no_end_reason(link):
    assert link.ended_reason() is None


def test_a_revoked_link_has_ended(link, therapist):
    link.revoke(by=therapist)

    assert link.ended_reason() == PatientLink.EndReason.REVOKED


def test_an_expired_link_has_ended(link):
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)

    assert link.ended_reason() == PatientLink.EndReason.EXPIRED


def test_a_link_ends_with_its_plan(link):
    link.plan.status = Plan.Status.COMPLETED

    assert link.ended_reason() == PatientLink.EndReason.PLAN_ENDED


def test_a_link_ends_when_a_newer_plan_replaces_its_plan(link):
    PlanItemFactory(plan=PlanFactory(patient=link.plan.patient, therapist=link.plan.therapist))

    assert link.ended_reason() == PatientLink.EndReason.REPLACED


def test_a_patient_without_a_date_of_birth_cannot_be_given_a_link(plan, therapist):
    plan.patient.date_of_birth = None

    with pytest.raises(Exception, match="date of birth"):
        services.issue_link(plan, by=therapist)


def test_the_sweep_marks_expired_links_and_links_of_ended_plans(link, plan, therapist):
    expired = PatientLinkFactory(plan=plan, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    result = services.sweep()

    expired.refresh_from_db()
    link.refresh_from_db()
    assert result["links_ended"] == 1
    assert (expired.end_reason, link.revoked_at) == (PatientLink.EndReason.EXPIRED, None)
