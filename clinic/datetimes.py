"""
Date-times read from requests, kept to what every database can store.

A date-time may name any UTC offset Python accepts (up to ±23:59), but PostgreSQL
stores offsets only up to ±15:59, and a moment near year 1 or 9999 in its own
offset can fall outside the years Python and the database share once it is in UTC.
Every date-time a filter or a form reads is therefore turned into the same instant
in UTC as it is read; one that has no such instant is a 400 on its field. (DRF's
serializer fields already do this: ``DateTimeField.enforce_timezone``.)
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_filters.fields import IsoDateTimeField, IsoDateTimeRangeField, RangeField

OUT_OF_RANGE = "This moment is outside the years that can be stored (1 to 9999, in UTC)."


def in_utc(value):
    """The aware date-time ``value`` as the same instant in UTC."""
    if value is None or timezone.is_naive(value):
        return value
    try:
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValidationError(OUT_OF_RANGE, code="invalid") from exc


class StorableDateTimeField(forms.DateTimeField):
    def to_python(self, value):
        return in_utc(super().to_python(value))


class StorableIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        return in_utc(super().to_python(value))


class StorableIsoDateTimeRangeField(RangeField):
    widget = IsoDateTimeRangeField.widget

    def __init__(self, *args, **kwargs):
        super().__init__((StorableIsoDateTimeField(), StorableIsoDateTimeField()), *args, **kwargs)


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = StorableIsoDateTimeField


class IsoDateTimeFromToRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    field_class = StorableIsoDateTimeRangeField
