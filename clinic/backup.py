"""
Backing up and restoring Glide's data: ``manage.py backup FILE`` and
``manage.py restore FILE``.

A backup is a Django JSON fixture of everything Glide holds: users and their clinics,
patients, assessments, plans, the catalogue, the audit trail and every record's
history. Why this rather than ``pg_dump``: the same file restores on PostgreSQL and
on SQLite, it goes through the models (so it is checked against the schema it is
loaded into), and the round trip is tested on both databases. It leaves out what is
not worth restoring: sessions, API tokens (they expire within hours; integrators
obtain new ones) and sign-in attempts. For a large production database, PostgreSQL's
own ``pg_dump --format=custom`` and ``pg_restore`` are faster; SECURITY.md shows both.

Users are referred to by username (Django's natural key), and permissions and content
types by theirs, so that the file does not depend on the ids that ``migrate`` happens
to give them. Times keep their microseconds (Django's JSON encoder would cut them to
milliseconds), so a restored row equals its original.

The file holds personal health information and password hashes: it is written
readable by its owner only. Restore it on the same version of Glide (the same
migrations) that wrote it.
"""

import datetime
import gzip
import io
import os
from contextlib import contextmanager

from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

BACKED_UP = ("auth.Group", "admin", "clinic", "assessments", "interop", "outcomes", "portal")
SUFFIXES = (".json", ".json.gz")


class BackupJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


def backed_up_models():
    """The models in the backup, those referred to by natural key first."""
    models = []
    for label in BACKED_UP:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def _objects(models):
    for model in models:
        yield from model._base_manager.order_by("pk").iterator(chunk_size=2000)


def _check_name(path):
    if not str(path).endswith(SUFFIXES):
        raise CommandError(
            f"Name the backup file with {' or '.join(SUFFIXES)}, e.g. glide-2026-11-24.json.gz."
        )


def write_backup(path):
    """Write every backed-up row to ``path`` (gzip-compressed when it ends in .gz)."""
    _check_name(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with open(descriptor, "wb") as raw:
        compressed = gzip.GzipFile(fileobj=raw, mode="wb") if str(path).endswith(".gz") else None
        with io.TextIOWrapper(compressed or raw, encoding="utf-8") as stream:
            _serialize(stream)


def _serialize(stream):
    serializers.serialize(
        "json",
        _objects(backed_up_models()),
        stream=stream,
        use_natural_foreign_keys=True,
        cls=BackupJSONEncoder,
    )


def database_is_empty():
    """Empty means no user, clinic or audit event: the standard catalogue that
    ``migrate`` loads does not count (a restore replaces it with the backup's)."""
    return not any(
        apps.get_model(label).objects.exists()
        for label in ("clinic.User", "clinic.Clinic", "clinic.AuditEvent")
    )


@contextmanager
def _triggers_off_until_commit(models):
    """The database refuses results added to a signed note, and a backup holds signed
    notes before their results. On PostgreSQL, switch the tables' own triggers off
    inside this transaction only: the ALTER locks the tables until the commit, so no
    other session ever writes while they are off."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def restore_backup(path, *, force=False):
    """Replace the database's contents with the backup's, in one transaction: if
    anything fails, the database is left as it was."""
    _check_name(path)
    if not os.path.exists(path):
        raise CommandError(f"No backup file at {path}.")
    if not force and not database_is_empty():
        raise CommandError(
            "The database already holds Glide data. Restore into an empty database, or pass "
            "--force to replace everything in it with the backup."
        )
    with transaction.atomic():
        # PostgreSQL cannot empty a table (TRUNCATE) while foreign-key checks deferred
        # earlier in the transaction are pending: run them now.
        connection.check_constraints()
        call_command("flush", interactive=False, verbosity=0)
        with _triggers_off_until_commit(backed_up_models()):
            call_command("loaddata", str(path), verbosity=0)
