"""Days are the clinic's days: a log at 23:30 in Denver is that day's, and weeks of
adherence start on the clinic's Monday."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import adherence, services

from ..api import api_client
from .conftest import session_payload

pytestmark = pytest.mark.django_db

DENVER = zoneinfo.ZoneInfo("America/Denver")


def test_the_clinics_today_follows_its_time_zone(clinic, monkeypatch):
    clinic.time_zone = "America/Denver"
    late_evening = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=DENVER)  # 06:30 UTC on Dec 1
    monkeypatch.setattr(timezone, "now", lambda: late_evening.astimezone(datetime.UTC))

    assert clinic.today() == datetime.date(2026, 11, 30)


def test_a_log_at_2330_in_denver_is_for_that_day_not_tomorrow(link, monkeypatch):
    link.clinic.time_zone = "America/Denver"
    late_evening = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=DENVER)
    monkeypatch.setattr(timezone, "now", lambda: late_evening.astimezone(datetime.UTC))
    link.plan.start_date = datetime.date(2026, 11, 20)
    data = session_payload(link.plan, date=datetime.date(2026, 12, 1))
    data["items"] = [{"exercise": item.pk, "done": "yes"} for item in link.plan.items.all()]

    with pytest.raises(ValidationError) as refused:
        services.log_session(link, data)

    assert "date" in refused.value.message_dict


def test_a_clinic_time_zone_must_be_a_known_name(clinic):
    clinic.time_zone = "Mars/Olympus"

    with pytest.raises(ValidationError):
        clinic.full_clean()


def test_weeks_start_on_monday_and_count_only_the_plans_days():
    class Item:
        times_per_day, days_per_week, weekdays = 2, 7, []

    start = datetime.date(2026, 11, 26)  # a Thursday
    today = datetime.date(2026, 12, 2)  # the Wednesday after
    logs = [datetime.date(2026, 11, 26), datetime.date(2026, 11, 27), datetime.date(2026, 12, 1)]

    weeks = adherence.weeks(start, today, [Item()], logs)

    assert [(week.week_start, week.prescribed, week.logged) for week in weeks] == [
        (datetime.date(2026, 11, 23), 8, 2),  # Thursday to Sunday: 4 days x 2
        (datetime.date(2026, 11, 30), 6, 1),  # Monday to Wednesday: 3 days x 2
    ]
    assert weeks[0].rate == 0.25


def test_an_exercise_on_named_days_counts_on_those_days_only():
    class Item:
        times_per_day, days_per_week, weekdays = 1, 3, ["mon", "wed", "fri"]

    start = datetime.date(2026, 11, 26)  # a Thursday
    today = datetime.date(2026, 12, 4)  # the Friday after

    weeks = adherence.weeks(start, today, [Item()], [])

    assert [(week.week_start, week.prescribed) for week in weeks] == [
        (datetime.date(2026, 11, 23), 1),  # Friday only
        (datetime.date(2026, 11, 30), 3),  # Monday, Wednesday, Friday
    ]


def test_a_day_asks_for_as_many_sessions_as_its_most_frequent_exercise():
    class EveryOtherDay:
        times_per_day, days_per_week, weekdays = 2, 3, ["mon", "wed", "fri"]

    class AnyFourDays:
        times_per_day, days_per_week, weekdays = 1, 7, []

    monday, tuesday = datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)
    items = [EveryOtherDay(), AnyFourDays()]

    assert adherence.sessions_on(monday, items) == 2
    assert adherence.sessions_on(tuesday, items) == 1


def test_the_rate_is_at_most_one():
    assert adherence.Week(datetime.date(2026, 11, 30), prescribed=2, logged=5).rate == 1.0


def test_an_admin_sets_the_clinics_time_zone_over_the_api(clinic, clinic_admin):
    client = api_client(clinic_admin)
    refused = client.patch(f"/api/v1/clinics/{clinic.pk}/", {"time_zone": "Mars/Olympus"}, format="json")
    accepted = client.patch(
        f"/api/v1/clinics/{clinic.pk}/", {"time_zone": "America/Denver"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert (refused.status_code, refused.json()["errors"][0]["attr"]) == (400, "time_zone")
    assert (accepted.status_code, accepted.json()["time_zone"]) == (200, "America/Denver")
