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
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_lifetime():
    return datetime.timedelta(hours=settings.TOKEN_TTL_HOURS)


def token_has_expired(token, now=None):
    return token.created + token_lifetime() <= (now or timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused with 401 once the token is older than
    ``TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
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
