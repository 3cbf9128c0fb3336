"""
FHIR search parameters, read from a query string into Django filters.

Each parameter has a FHIR type (``token``, ``reference``, ``date``, ``string``) and
the model field(s) it looks at. A comma inside one value means "any of"; repeating a
parameter means "all of". A value that cannot be read is a ``SearchError`` (400),
never an empty page that looks like "no results".
"""

import calendar
import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

DATE_PREFIXES = ("eq", "ne", "lt", "gt", "le", "ge")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class SearchError(ValueError):
    """A search the server cannot read; the message says which parameter and why."""


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str
    documentation: str
    # Builds the Q for one value (no comma); given the value as sent.
    build: object = field(compare=False)

    def q(self, value):
        alternatives = [part for part in value.split(",") if part != ""]
        if not alternatives:
            raise SearchError(f"The parameter {self.name} has no value.")
        query = Q(pk__in=[])
        for part in alternatives:
            query |= self.build(part)
        return query


def split_token(value):
    """``system|code`` -> (system, code); ``code`` -> (None, code)."""
    if "|" in value:
        system, _, code = value.partition("|")
        return system, code
    return None, value


def reference_id(value, resource_type):
    """``Patient/<uuid>``, ``<uuid>`` or an absolute URL ending so, as a UUID."""
    tail = value.rstrip("/").split("/")
    if len(tail) >= 2 and tail[-2] != resource_type:
        raise SearchError(f"{value!r} is not a reference to a {resource_type}.")
    try:
        return uuid.UUID(tail[-1])
    except ValueError:
        raise SearchError(f"{value!r} is not the id of a {resource_type}.") from None


def date_range(value, name):
    """A FHIR date parameter ``[prefix]YYYY[-MM[-DD]]`` or a date-time, as
    ``(prefix, start, end)``: the half-open range ``[start, end)`` the value covers,
    as aware date-times in the server's time zone."""
    prefix = value[:2] if value[:2] in DATE_PREFIXES else "eq"
    text = value[2:] if value[:2] in DATE_PREFIXES else value
    match = PARTIAL_DATE.match(text)
    zone = timezone.get_current_timezone()
    try:
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            if month is None:
                start, end = datetime.datetime(year, 1, 1), datetime.datetime(year + 1, 1, 1)
            elif day is None:
                start = datetime.datetime(year, month, 1)
                end = start + datetime.timedelta(days=calendar.monthrange(year, month)[1])
            else:
                start = datetime.datetime(year, month, day)
                end = start + datetime.timedelta(days=1)
            return prefix, timezone.make_aware(start, zone), timezone.make_aware(end, zone)
        moment = parse_datetime(text)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise SearchError(f"{name}: {value!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or a date-time).")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, zone)
    try:
        # Offsets PostgreSQL cannot store (beyond +/-15:59) are refused here.
        moment.astimezone(datetime.UTC)
        if abs(moment.utcoffset()) >= datetime.timedelta(hours=16):
            raise ValueError
    except (ValueError, OverflowError):
        raise SearchError(f"{name}: {value!r} has a time zone offset that cannot be stored.") from None
    return prefix, moment, moment + datetime.timedelta(microseconds=1)


def date_q(field_name, *, is_date=False):
    """A ``date`` parameter over a DateTimeField (or a DateField with ``is_date``)."""

    def build(value, name="date"):
        prefix, start, end = date_range(value, name)
        if is_date:
            start, end = timezone.localtime(start).date(), timezone.localtime(end).date()
            if end == start:
                end = start + datetime.timedelta(days=1)
        return {
            "eq": Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end}),
            "ne": ~Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end}),
            "lt": Q(**{f"{field_name}__lt": start}),
            "le": Q(**{f"{field_name}__lt": end}),
            "gt": Q(**{f"{field_name}__gte": end}),
            "ge": Q(**{f"{field_name}__gte": start}),
        }[prefix]

    return build


def reference_q(field_name, resource_type):
    def build(value):
        return Q(**{field_name: reference_id(value, resource_type)})

    return build


def apply(queryset, params, query):
    """``queryset`` filtered by every search parameter in ``query`` (a QueryDict) that
    ``params`` (name -> SearchParam) knows."""
    for name, param in params.items():
        for value in query.getlist(name):
            queryset = queryset.filter(param.q(value))
    return queryset
