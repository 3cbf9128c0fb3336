"""
The patient's side of a plan: a private link to it, the sessions the patient logs
through it, and the alerts those logs raise for the clinic.

A link's secret is never stored. It is derived from the link's own random salt and
the server's ``SECRET_KEY`` (an HMAC), and only its SHA-256 is kept to find the link:
a copy of the database alone opens nothing, and a reprinted handout carries the same
QR code as the first. Rotating ``SECRET_KEY`` ends every link.
"""

import base64
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from assessments.models import Exercise, Plan, PlanItem
from clinic.models import Clinic, ProtectedRecordError, TimeStampedModel, clinics_of

SECRET_KEY_SALT = "glide.portal.PatientLink"  # noqa: S105 -- the HMAC's purpose, not a secret
SECRET_BYTES = 18  # 144 bits, 24 characters in the address


def secret_for(salt):
    digest = salted_hmac(SECRET_KEY_SALT, salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:SECRET_BYTES]).decode("ascii")


def hash_of(secret):
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_salt():
    return secrets.token_hex(16)


def end_of_day(date, zone):
    """The last moment of ``date`` where the clinic is."""
    return datetime.datetime.combine(date, datetime.time.max, tzinfo=zone)


class PatientLinkQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def with_secret(self, secret):
        return self.filter(secret_hash=hash_of(secret))

    def open(self, now=None):
        """Links not revoked, not past their expiry, of a plan still active."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now or timezone.now(), plan__status=Plan.Status.ACTIVE
        )

    def due_to_end(self, now=None):
        """Links still marked open whose time is up: expired, or their plan ended."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__lte=now) | ~Q(plan__status=Plan.Status.ACTIVE)
        )

    def end_due(self, now=None):
        """Mark the links whose time is up as ended, with why: the scheduled expiry.
        Returns how many ended. Access is refused at once whether or not this ran."""
        now = now or timezone.now()
        ended = 0
        for link in self.due_to_end(now).select_related("plan"):
            reason = (
                PatientLink.EndReason.EXPIRED if link.expires_at <= now else PatientLink.EndReason.PLAN_ENDED
            )
            ended += PatientLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
                revoked_at=now, end_reason=reason
            )
        return ended


class PatientLink(TimeStampedModel):
    """A patient's private link to one plan. The second factor is the patient's year
    of birth, asked once per device."""

    class EndReason(models.TextChoices):
        REVOKED = "revoked", "Revoked by the clinic"
        EXPIRED = "expired", "Expired"
        PLAN_ENDED = "plan_ended", "The plan ended"
        REPLACED = "replaced", "A newer plan replaced it"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patient_links")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)

    objects = PatientLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["plan", "-created_at"])]

    def __str__(self):
        return f"Patient link {self.short_id} to {self.plan}"

    def save(self, *args, **kwargs):
        if self.plan_id and not self.clinic_id:
            self.clinic_id = self.plan.clinic_id
        if not self.secret_hash:
            self.secret_hash = hash_of(self.secret)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtectedRecordError("Patient links are revoked, never deleted.")

    @property
    def short_id(self):
        return str(self.pk)[:8]

    @property
    def actor_description(self):
        """How the audit trail names the link when the patient acts through it."""
        return f"Patient link {self.short_id}"

    @property
    def secret(self):
        return secret_for(self.salt)

    @property
    def path(self):
        return reverse("portal:plan", args=[self.secret])

    def url(self, request=None):
        """The address the patient opens: on ``GLIDE_SITE_URL`` when it is set (the
        printed handout needs one that works from any phone), else on the request's
        own host."""
        if settings.GLIDE_SITE_URL:
            return settings.GLIDE_SITE_URL.rstrip("/") + self.path
        return request.build_absolute_uri(self.path) if request is not None else self.path

    @classmethod
    def default_expiry(cls, plan):
        """The plan's review date plus ``GLIDE_PORTAL_DAYS_AFTER_REVIEW`` days, at the
        end of that day in the clinic; a plan without a review date counts from four
        weeks after its start."""
        review = plan.review_date or plan.start_date + datetime.timedelta(weeks=4)
        last_day = review + datetime.timedelta(days=settings.GLIDE_PORTAL_DAYS_AFTER_REVIEW)
        return end_of_day(last_day, plan.clinic.zone)

    def ended_reason(self, now=None):
        """Why the link no longer opens the plan, or ``None`` while it does."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return self.end_reason or self.EndReason.REVOKED
        if self.expires_at <= now:
            return self.EndReason.EXPIRED
        if self.plan.status != Plan.Status.ACTIVE:
            return self.EndReason.PLAN_ENDED
        newer = Plan.objects.active().filter(
            patient_id=self.plan.patient_id, created_at__gt=self.plan.created_at
        )
        if newer.exists():
            return self.EndReason.REPLACED
        return None

    @property
    def is_open(self):
        return self.ended_reason() is None

    def revoke(self, by=None, reason=EndReason.REVOKED):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.end_reason = reason
            self.save(update_fields=["revoked_at", "revoked_by", "end_reason", "updated_at"])
        return self


class SessionLogQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def with_items(self):
        return self.prefetch_related(
            models.Prefetch("items", queryset=SessionItem.objects.select_related("exercise"))
        )


class SessionLog(TimeStampedModel):
    """One session of a plan's exercises, as the patient logged it. It may be
    corrected on its own day (the clinic's day), never later."""

    class HourLater(models.TextChoices):
        BETTER = "better", _("Better")
        SAME = "same", _("The same")
        WORSE = "worse", _("Worse")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="session_logs")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="session_logs")
    link = models.ForeignKey(PatientLink, on_delete=models.PROTECT, related_name="session_logs")
    date = models.DateField()
    pain = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(10)])
    an_hour_later = models.CharField(max_length=6, choices=HourLater.choices)
    note = models.CharField(max_length=500, blank=True)
    stop_advice_shown_at = models.DateTimeField(
        null=True, blank=True, help_text="When the page showed the stop rules this log called for."
    )

    objects = SessionLogQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(pain__gte=0, pain__lte=10), name="sessionlog_pain_0_10"),
            models.CheckConstraint(
                condition=Q(an_hour_later__in=["better", "same", "worse"]), name="sessionlog_hour_later_valid"
            ),
        ]
        indexes = [models.Index(fields=["plan", "date"])]

    def __str__(self):
        return f"Session of {self.date} for {self.plan}"

    def delete(self, *args, **kwargs):
        raise ProtectedRecordError("Logged sessions are corrected on their day, never deleted.")

    @property
    def patient(self):
        return self.plan.patient

    @property
    def meets_stop_rule(self):
        """Pain at or above the alert threshold, or worse an hour later: the
        handout's stop rules apply."""
        return self.pain >= settings.GLIDE_PORTAL_PAIN_ALERT_AT or self.an_hour_later == self.HourLater.WORSE

    def is_correctable(self):
        return self.date == self.clinic.today()


class SessionItem(models.Model):
    """Whether one exercise of the plan was done in a logged session."""

    class Done(models.TextChoices):
        YES = "yes", _("Yes, all of it")
        PARTLY = "partly", _("Some of it")
        NO = "no", _("No")

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="items")
    # The plan builder writes a plan's items anew on each save: the exercise stays,
    # the item it was logged against may go.
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    done = models.CharField(max_length=6, choices=Done.choices)

    class Meta:
        ordering = ["log", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["log", "plan_item"], name="sessionitem_unique_exercise"),
            models.CheckConstraint(
                condition=Q(done__in=["yes", "partly", "no"]), name="sessionitem_done_valid"
            ),
        ]

    def __str__(self):
        return f"{self.exercise}: {self.done}"


class AlertQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(clinic_id__in=clinics_of(user))

    def open(self):
        return self.filter(acknowledged_at__isnull=True)


class Alert(TimeStampedModel):
    """Something in a patient's logs the therapist should know of, open until a
    member of the clinic acknowledges it."""

    class Kind(models.TextChoices):
        PAIN = "pain", "High pain"
        WORSE_TWICE = "worse_twice", "Worse an hour later, twice in a row"
        NO_LOG = "no_log", "No log for days"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="alerts")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="alerts")
    session_log = models.ForeignKey(
        SessionLog, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["pain", "worse_twice", "no_log"]), name="alert_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["session_log", "kind"],
                condition=Q(session_log__isnull=False),
                name="alert_once_per_log",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(kind="no_log", acknowledged_at__isnull=True),
                name="alert_one_open_no_log",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "acknowledged_at", "-raised_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.plan}"

    def delete(self, *args, **kwargs):
        raise ProtectedRecordError("Alerts are acknowledged, never deleted.")

    @property
    def patient(self):
        return self.plan.patient

    def acknowledge(self, by):
        if self.acknowledged_at is None:
            self.acknowledged_at = timezone.now()
            self.acknowledged_by = by
            self.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        return self
