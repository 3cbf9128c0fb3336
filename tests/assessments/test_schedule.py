"""Named days of the week: their order, their names, and the next exercise day."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments import schedule

TUESDAY = datetime.date(2026, 12, 1)


def item(*days):
    return SimpleNamespace(weekdays=list(days))


def test_days_are_put_monday_first():
    assert schedule.in_week_order(["sun", "wed", "mon"]) == ["mon", "wed", "sun"]


@pytest.mark.parametrize("value", [["mon", "mon"], ["someday"], "mon", [3]])
def test_what_is_not_a_list_of_distinct_days_is_refused(value):
    with pytest.raises(ValidationError):
        schedule.validate_weekdays(value)


def test_days_are_named_in_the_active_language():
    assert schedule.day_names(["fri", "mon", "wed"]) == "Monday, Wednesday and Friday"
    with translation.override("es"):
        assert schedule.day_names(["fri", "mon", "wed"]) == "lunes, miércoles y viernes"


def test_an_exercise_without_named_days_makes_every_day_an_exercise_day():
    assert schedule.next_exercise_day([item(), item("sat")], TUESDAY) is None


def test_the_next_exercise_day_is_the_nearest_named_day_of_any_exercise():
    assert schedule.next_exercise_day([item("mon"), item("thu", "sat")], TUESDAY) == datetime.date(
        2026, 12, 3
    )


def test_a_day_named_only_by_last_week_comes_round_again():
    assert schedule.next_exercise_day([item("mon")], TUESDAY) == datetime.date(2026, 12, 7)


def test_a_count_that_disagrees_with_the_days_named_is_explained():
    assert schedule.count_mismatch(["mon"], 7) == "1 day is named, so it is 1 day a week, not 7."
    assert schedule.count_mismatch(["mon", "fri"], 3) == "2 days are named, so it is 2 days a week, not 3."
    assert schedule.count_mismatch(["mon", "fri"], 2) is None
