"""
Sign-ins in the audit trail: every success, failure, lockout and sign-out, one
event for each attempt.

Django sends ``user_logged_in``, ``user_login_failed`` and ``user_logged_out`` for
every way in (the login page, the admin, the API's token view), and django-axes
sends ``user_locked_out`` when an account reaches the failure limit and each time a
locked account is tried again. Connected in ``ClinicConfig.ready``. The events are
written outside any transaction, so they survive the refused request.

A failure that locks the account, and a try on a locked account, are both a failed
sign-in and a lockout; they are recorded once, as the lockout. axes marks such a
request (``axes_locked_out``) in its own ``user_login_failed`` receiver, which runs
before this module's: importing ``axes.signals`` below connects it first.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .audit import record
from .models import AuditEvent


def _attempted_username(credentials):
    return (credentials or {}).get(get_user_model().USERNAME_FIELD, "")[:150]


def audit_login(sender, request, user, **kwargs):
    record(request, AuditEvent.Action.LOGIN, actor=user)


def audit_login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "axes_locked_out", False):
        return  # recorded as the lockout
    record(request, AuditEvent.Action.LOGIN_FAILED, username=_attempted_username(credentials))


def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    failures = getattr(request, "axes_failures_since_start", None)
    detail = {"failures": failures} if failures else {}
    record(request, AuditEvent.Action.LOCKOUT, username=(username or "")[:150], **detail)


def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(request, AuditEvent.Action.LOGOUT, actor=user)


def connect():
    user_logged_in.connect(audit_login, dispatch_uid="glide_audit_login")
    user_login_failed.connect(audit_login_failed, dispatch_uid="glide_audit_login_failed")
    user_locked_out.connect(audit_lockout, dispatch_uid="glide_audit_lockout")
    user_logged_out.connect(audit_logout, dispatch_uid="glide_audit_logout")
