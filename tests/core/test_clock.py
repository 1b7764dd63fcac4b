"""The organization's today is its local date, on both sides of the date line."""

import datetime
from types import SimpleNamespace

from core.clock import org_today, org_zone

UTC = datetime.UTC


def test_auckland_at_nine_in_the_morning_is_already_the_next_day():
    org = SimpleNamespace(time_zone="Pacific/Auckland")
    now = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 09:00 on 1 December there
    assert org_today(org, now) == datetime.date(2026, 12, 1)


def test_honolulu_at_eight_in_the_evening_is_still_the_day_before():
    org = SimpleNamespace(time_zone="Pacific/Honolulu")
    now = datetime.datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 20:00 on 1 December there
    assert org_today(org, now) == datetime.date(2026, 12, 1)


def test_an_unknown_zone_falls_back_to_utc():
    assert str(org_zone(SimpleNamespace(time_zone="Mars/Olympus"))) == "UTC"
    assert str(org_zone(SimpleNamespace(time_zone=""))) == "UTC"
