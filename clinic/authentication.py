"""
API token authentication with an expiry.

DRF's tokens never expire by themselves. A token leaked from an integrator's
configuration would open a clinic's records for good, so Glide refuses a token
``TOKEN_TTL_HOURS`` after it was issued (its ``created`` time). Revoking a token is
deleting it; obtaining a new one replaces an expired one.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import User


def token_lifetime():
    return datetime.timedelta(hours=settings.TOKEN_TTL_HOURS)


def token_has_expired(token, now=None):
    return token.created + token_lifetime() <= (now or timezone.now())


def token_holder(key):
    """The user holding the token ``key``, with the token's ``created`` time as
    ``token_created`` and their clinics and roles already known (``clinic_ids``,
    ``role_in``); None when no token has that key.

    One query (a row per membership) where DRF's lookup and the first clinic-scoped
    queryset took two: every API call asks for both."""
    rows = list(
        User.objects.filter(auth_token__key=key).annotate(
            token_created=F("auth_token__created"),
            membership_clinic_id=F("memberships__clinic_id"),
            membership_role=F("memberships__role"),
        )
    )
    if not rows:
        return None
    user = rows[0]
    user.know_memberships(
        {row.membership_clinic_id: row.membership_role for row in rows if row.membership_clinic_id}
    )
    return user


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused with 401 once the token is older than
    ``TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key):
        user = token_holder(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token.from_db(None, ["key", "user_id", "created"], [key, user.pk, user.token_created])
        token.user = user
        if token_has_expired(token):
            raise exceptions.AuthenticationFailed("The token has expired; obtain a new one.")
        return user, token


def issue_token(user):
    """The user's API token and how it came: ``"existing"`` (still valid, handed back),
    ``"new"`` (the user had none) or ``"renewed"`` (the old one had expired and is
    replaced by a new key).

    DRF's own ``get_or_create`` would hand back an expired key for good: a token is
    one row per user, and revoking it needs a valid one.
    """
    with transaction.atomic():
        expired = Token.objects.filter(user=user, created__lte=timezone.now() - token_lifetime()).delete()[0]
        token, created = Token.objects.get_or_create(user=user)
    if not created:
        return token, "existing"
    return token, "renewed" if expired else "new"
