"""
Writing the audit trail, and reading it out as CSV.

``record()`` is called by views, services and authentication signals. Glide does not
wrap whole requests in a transaction (``ATOMIC_REQUESTS`` is off; multi-row writes
are atomic in ``assessments.services``), so an event written while a request is
refused survives: record denials outside any ``transaction.atomic`` block.
"""

import csv
import datetime
import json
import weakref

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router

from .models import AuditEvent, Clinic, Patient
from .proxies import client_ip


def _related_id(obj, name):
    """The id of ``obj``'s clinic or patient: its foreign key's value when it has
    one, so that the record is not read just to be named."""
    related_id = getattr(obj, f"{name}_id", None)
    if related_id is None:
        related_id = getattr(getattr(obj, name, None), "pk", None)
    return related_id


def _event(
    request,
    action,
    obj=None,
    *,
    actor=None,
    actor_description="",
    clinic=None,
    clinic_id=None,
    patient=None,
    status_code=None,
    **detail,
):
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if clinic is not None:
        clinic_id = clinic.pk
    patient_id = patient.pk if patient is not None else None
    if obj is not None:
        if clinic_id is None:
            clinic_id = obj.pk if isinstance(obj, Clinic) else _related_id(obj, "clinic")
        if patient_id is None:
            patient_id = obj.pk if isinstance(obj, Patient) else _related_id(obj, "patient")
    return AuditEvent(
        actor=actor,
        actor_username=(actor.get_username() if actor else detail.pop("username", "")),
        actor_description=actor_description[:150],
        clinic_id=clinic_id,
        patient_id=patient_id,
        action=action,
        object_type=obj._meta.model_name if obj is not None else detail.pop("object_type", ""),
        object_id=str(obj.pk) if obj is not None else detail.pop("object_id", ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:400] if request else ""),
        method=((request.method or "") if request else ""),
        path=(request.path[:400] if request else ""),
        status_code=status_code,
        detail=detail,
    )


def record(request, action, obj=None, **kwargs):
    """Append one event. ``obj`` is the record acted on (its clinic and patient are
    taken from it), or else ``clinic`` (or its ``clinic_id``) and ``patient`` name
    them; extra keyword arguments land in ``detail``. An actor that is not a
    user (a patient's private link) is named by ``actor_description``."""
    event = _event(request, action, obj, **kwargs)
    _insert(event)
    return event


# Per database connection (each thread has its own): the INSERT statement's text.
_insert_statements = weakref.WeakKeyDictionary()


def _insert(event):
    """Write the new ``event`` as ``save()`` would, in one INSERT whose text is
    written once per connection: every read of a patient's record writes an event,
    and building the statement field by field on each took longer than the insert.
    The values are prepared by each field, as the ORM prepares them."""
    database, meta = connections[router.db_for_write(AuditEvent)], AuditEvent._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    if database not in _insert_statements:
        quote = database.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model's metadata)
            quote(meta.db_table),
            ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
        )
        if database.features.can_return_columns_from_insert:
            sql += f" RETURNING {quote(meta.pk.column)}"
        _insert_statements[database] = sql
    values = [field.get_db_prep_save(field.pre_save(event, True), connection=database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(_insert_statements[database], values)
        if database.features.can_return_columns_from_insert:
            event.pk = cursor.fetchone()[0]
        else:
            event.pk = database.ops.last_insert_id(
                cursor, AuditEvent._meta.db_table, AuditEvent._meta.pk.column
            )
    event._state.adding = False
    event._state.db = database.alias


CSV_COLUMNS = (
    ("at", "time (UTC)"),
    ("actor_name", "user"),  # the username, or the patient link that acted
    ("action", "action"),
    ("object_type", "record type"),
    ("object_id", "record id"),
    ("patient_id", "patient id"),
    ("clinic_id", "clinic id"),
    ("ip_address", "IP address"),
    ("user_agent", "browser"),
    ("method", "method"),
    ("path", "path"),
    ("status_code", "status"),
    ("detail", "detail"),
)

# A cell that a spreadsheet would read as a formula (user agents and usernames are
# typed by whoever sends the request) is prefixed with a quote so it stays text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back, so that ``csv.writer``
    can feed a ``StreamingHttpResponse`` one row at a time."""

    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        value = json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)
    elif hasattr(value, "isoformat"):
        value = value.astimezone(datetime.UTC).isoformat()
    value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def iter_csv(events):
    """Yield an audit-event queryset as CSV lines, header first, without holding the
    whole export in memory: ``StreamingHttpResponse(iter_csv(qs), content_type="text/csv")``."""
    writer = csv.writer(_Echo())
    yield writer.writerow([title for _, title in CSV_COLUMNS])
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow([_cell(getattr(event, name)) for name, _ in CSV_COLUMNS])
