"""
Adherence per week and the pain trend: what a plan's logs add up to.

A session is one round of the plan's exercises. On a given day the plan asks for as
many sessions as its most frequent exercise of that day: an exercise with named days
counts on those days only, one without counts its days a week spread over the week.
Weeks start on Monday in the clinic's days; the first week and the current one count
only the plan's days in them, up to today.
"""

import datetime
from dataclasses import dataclass

from assessments.schedule import is_exercise_day

WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Week:
    week_start: datetime.date
    prescribed: int
    logged: int

    @property
    def rate(self):
        """Sessions logged over sessions prescribed, at most 1; ``None`` when none
        were prescribed."""
        if not self.prescribed:
            return None
        return round(min(self.logged / self.prescribed, 1.0), 2)

    @property
    def percent(self):
        return None if self.rate is None else round(self.rate * 100)


def sessions_on(date, plan_items):
    """Sessions the plan asks for on ``date`` (a fraction for exercises whose days
    the patient chooses)."""
    return max(
        (
            item.times_per_day * (1 if item.weekdays else item.days_per_week / 7)
            for item in plan_items
            if is_exercise_day(item.weekdays, date)
        ),
        default=0,
    )


def weeks(start_date, today, plan_items, log_dates):
    """The plan's weeks from its start to today, newest last."""
    counts = {}
    for date in log_dates:
        monday = date - datetime.timedelta(days=date.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    result = []
    monday = start_date - datetime.timedelta(days=start_date.weekday())
    while monday <= today:
        first, last = max(monday, start_date), min(monday + WEEK - DAY, today)
        days = [first + DAY * offset for offset in range((last - first).days + 1)]
        prescribed = sum(sessions_on(day, plan_items) for day in days)
        result.append(Week(monday, round(prescribed), counts.get(monday, 0)))
        monday += WEEK
    return result


@dataclass(frozen=True)
class PainPoint:
    date: datetime.date
    pain: int
    worse: bool


def pain_trend(logs):
    """The highest pain logged each day, in date order."""
    by_day = {}
    for log in logs:
        point = by_day.get(log.date)
        if point is None or log.pain > point.pain:
            by_day[log.date] = PainPoint(log.date, log.pain, log.an_hour_later == "worse")
    return [by_day[date] for date in sorted(by_day)]
