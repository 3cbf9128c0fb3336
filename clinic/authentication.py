"""
API token authentication with an expiry.

DRF's tokens never expire by themselves. A token leaked from an integrator's
configuration would open a clinic's records for good, so Glide refuses a token
``TOKEN_TTL_HOURS`` after it was issued (its ``created`` time). Revoking a token is
deleting it; obtaining a new one replaces an expired one.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


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
