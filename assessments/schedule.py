"""
Which days of the week a plan's exercise is done on.

A plan item says how many days a week (``days_per_week``) and, when the therapist
names them, which (``weekdays``: FHIR's day-of-week codes, Monday first). Named days
fix the count: three days named are three days a week. Without names, the patient
picks any days that suit them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.text import get_text_list
from django.utils.translation import gettext as _


class Weekday(models.TextChoices):
    MONDAY = "mon", "Monday"
    TUESDAY = "tue", "Tuesday"
    WEDNESDAY = "wed", "Wednesday"
    THURSDAY = "thu", "Thursday"
    FRIDAY = "fri", "Friday"
    SATURDAY = "sat", "Saturday"
    SUNDAY = "sun", "Sunday"


WEEK_ORDER = [day.value for day in Weekday]


def validate_weekdays(value):
    """A list of distinct day codes in week order (an empty list names no day)."""
    if not isinstance(value, list):
        raise ValidationError('Give the days as a list of day codes, e.g. ["mon", "thu"].', code="invalid")
    unknown = [day for day in value if day not in WEEK_ORDER]
    if unknown:
        raise ValidationError(
            "%(days)s is not a day of the week; use %(codes)s.",
            code="invalid_choice",
            params={"days": ", ".join(map(str, unknown)), "codes": ", ".join(WEEK_ORDER)},
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each day can be named once.", code="duplicate")


def count_mismatch(weekdays, days_per_week):
    """Why ``days_per_week`` disagrees with the days named, or ``None``."""
    if not weekdays or not isinstance(weekdays, list) or len(weekdays) == days_per_week:
        return None
    named = len(weekdays)
    days = (
        "1 day is named, so it is 1 day" if named == 1 else f"{named} days are named, so it is {named} days"
    )
    return f"{days} a week, not {days_per_week}."


def in_week_order(days):
    """The distinct known days among ``days``, Monday first."""
    chosen = set(days)
    return [day for day in WEEK_ORDER if day in chosen]


def day_code(date):
    return WEEK_ORDER[date.weekday()]


def is_exercise_day(weekdays, date: datetime.date):
    """Whether ``date`` is one of the named days; any day is when none are named."""
    return not weekdays or day_code(date) in weekdays


def next_exercise_day(plan_items, date):
    """``None`` when ``date`` is a day for any of the plan's exercises; otherwise the
    next day that is (a rest day waits for it)."""
    if not plan_items or any(is_exercise_day(item.weekdays, date) for item in plan_items):
        return None
    for offset in range(1, 8):
        day = date + datetime.timedelta(days=offset)
        if any(is_exercise_day(item.weekdays, day) for item in plan_items):
            return day
    return None


def day_names(weekdays):
    """The named days in words, in the active language: "Monday, Wednesday and Friday"."""
    names = [str(WEEKDAYS[WEEK_ORDER.index(day)]) for day in in_week_order(weekdays)]
    return get_text_list(names, _("and"))
