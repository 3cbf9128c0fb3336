"""
API token authentication with an expiry.

DRF's tokens never expire by themselves. A token leaked from an integrator's
configuration would open a clinic's records for good, so Glide refuses a token
``TOKEN_TTL_HOURS`` after it was issued (its ``created`` time). Revoking a token is
deleting it; obtaining a new one replaces an expired one.
"""

import datetime
import functools
import weakref

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as drf_message
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import Membership, User


def token_lifetime():
    return datetime.timedelta(hours=settings.TOKEN_TTL_HOURS)


def token_has_expired(token, now=None):
    return token.created + token_lifetime() <= (now or timezone.now())


# Per database connection: {field: (column, its converters)}, looked up once.
_converters = weakref.WeakKeyDictionary()


def _from_database(database, field, value):
    """``value`` read for ``field`` by a raw query on ``database``, as the ORM would
    give it (SQLite hands back dates and ids as text)."""
    known = _converters.setdefault(database, {})
    if field not in known:
        column = field.get_col(field.model._meta.db_table)
        known[field] = column, database.ops.get_db_converters(column) + column.get_db_converters(database)
    column, converters = known[field]
    for convert in converters:
        value = convert(value, column, database)
    return value


@functools.cache
def _token_holder_sql(quote):
    # Only names from the models' metadata go into the text; the key is a parameter.
    user, token, membership = User._meta, Token._meta, Membership._meta
    return (  # noqa: S608
        "SELECT {user_columns}, t.{created}, m.{clinic}, m.{role} FROM {tokens} t"
        " JOIN {users} u ON u.{user_pk} = t.{token_user}"
        " LEFT JOIN {memberships} m ON m.{membership_user} = u.{user_pk}"
        " WHERE t.{key} = %s"
    ).format(
        user_columns=", ".join(f"u.{quote(field.column)}" for field in user.concrete_fields),
        created=quote(token.get_field("created").column),
        clinic=quote(membership.get_field("clinic").column),
        role=quote(membership.get_field("role").column),
        tokens=quote(token.db_table),
        users=quote(user.db_table),
        user_pk=quote(user.pk.column),
        token_user=quote(token.get_field("user").column),
        memberships=quote(membership.db_table),
        membership_user=quote(membership.get_field("user").column),
        key=quote(token.get_field("key").column),
    )


def token_holder(key):
    """The user holding the token ``key``, with the token's ``created`` time as
    ``token_created`` and their clinics and roles already known (``clinic_ids``,
    ``role_in``); None when no token has that key.

    Every API call asks for both, so they come in one statement (a row per
    membership), written once rather than built by the ORM on each call: building
    the query took several times longer than running it."""
    database = connections[DEFAULT_DB_ALIAS]
    with database.cursor() as cursor:
        cursor.execute(_token_holder_sql(database.ops.quote_name), [key])
        rows = cursor.fetchall()
    if not rows:
        return None
    fields = User._meta.concrete_fields
    user = User.from_db(
        database.alias,
        [field.attname for field in fields],
        [_from_database(database, field, value) for field, value in zip(fields, rows[0], strict=False)],
    )
    user.token_created = _from_database(database, Token._meta.get_field("created"), rows[0][len(fields)])
    clinic, role = Membership._meta.get_field("clinic"), Membership._meta.get_field("role")
    user.know_memberships(
        {
            _from_database(database, clinic, row[-2]): _from_database(database, role, row[-1])
            for row in rows
            if row[-2] is not None
        }
    )
    return user


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused with 401 once the token is older than
    ``TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key):
        user = token_holder(key)
        if user is None:
            # DRF's own words, translated by DRF's catalogue (named apart so that
            # Glide's catalogue does not take them as its own).
            raise exceptions.AuthenticationFailed(drf_message("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(drf_message("User inactive or deleted."))
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
