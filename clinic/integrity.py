"""
A unique constraint's refusal, read back as the field it concerns.

Serializers and forms check uniqueness before writing, but two requests can pass
that check at the same moment (two clients creating the same chart number); then
the database's unique constraint refuses the second insert. That refusal names a
constraint (PostgreSQL) or the columns (SQLite); ``unique_violation`` finds the
model's constraint and answers ``{field: message}``, for a 400 with the field's
error instead of a server error.
"""

import re

from django.apps import apps
from django.db import IntegrityError
from django.db.models import UniqueConstraint

SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")


def _unique_constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                yield model, constraint.name, list(constraint.fields)
        for fields in model._meta.unique_together:
            yield model, None, list(fields)
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                yield model, f"{model._meta.db_table}_{field.column}_key", [field.name]


def _columns(model, fields):
    return {f"{model._meta.db_table}.{model._meta.get_field(name).column}" for name in fields}


def _find(exc):
    cause = exc.__cause__
    constraint_name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    sqlite = SQLITE_UNIQUE.search(str(exc))
    sqlite_columns = {column.strip() for column in sqlite["columns"].split(",")} if sqlite else None
    for model, name, fields in _unique_constraints():
        if constraint_name is not None and name == constraint_name:
            return model, fields
        if sqlite_columns is not None and _columns(model, fields) == sqlite_columns:
            return model, fields
    return None


def unique_violation(exc):
    """``{field: message}`` when ``exc`` is a unique constraint's refusal, else None.
    The field is the one the client chose (the clinic of a pair is implied)."""
    if not isinstance(exc, IntegrityError):
        return None
    found = _find(exc)
    if found is None:
        return None
    model, fields = found
    chosen = [name for name in fields if not model._meta.get_field(name).is_relation] or fields
    field = model._meta.get_field(chosen[-1])
    others = "of this clinic " if "clinic" in fields else ""
    message = f"Another {model._meta.verbose_name} {others}has this {field.verbose_name}."
    return {field.name: message}
