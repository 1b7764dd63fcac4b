"""When an organization's weekly cycle starts, computed in its own time zone.

The start is a *local* wall-clock time (weekday and hour in ``Organization.time_zone``), so it
is computed with zoneinfo on local dates and only then turned into an instant. That keeps the
cycle at 09:00 local on both sides of a daylight-saving change, where a fixed UTC offset or a
"start + 7 days" instant would drift by an hour.

The organization's zone and today come from ``core.clock``. ``org_zone`` and ``local_today``
stay importable from here for the demo data (``reviews/demo.py``), which still reads them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.clock import org_today, org_zone

local_today = org_today  # the demo data's name for it; new code uses core.clock.org_today

__all__ = ["latest_start", "local_today", "next_start", "org_zone", "start_instant"]


def start_instant(organization, day: datetime.date) -> datetime.datetime:
    """The aware instant at which a cycle starting on local ``day`` begins.

    A start hour that does not exist that day (skipped by a spring-forward change) resolves
    to the instant zoneinfo assigns it (one hour later in wall-clock terms); an ambiguous
    hour (autumn) is its first occurrence.
    """
    zone = org_zone(organization)
    hour = min(max(int(organization.review_hour), 0), 23)
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
    # Normalise through UTC so that a non-existent wall time maps to a real instant.
    return local.astimezone(datetime.UTC)


def latest_start(
    organization, now: datetime.datetime | None = None
) -> tuple[datetime.date, datetime.datetime]:
    """The most recent scheduled cycle start at or before ``now``: (local date, instant)."""
    now = now or timezone.now()
    today = org_today(organization, now)
    day = today - datetime.timedelta(days=(today.weekday() - organization.review_weekday) % 7)
    instant = start_instant(organization, day)
    if instant > now:
        day -= datetime.timedelta(days=7)
        instant = start_instant(organization, day)
    return day, instant


def next_start(
    organization, now: datetime.datetime | None = None
) -> tuple[datetime.date, datetime.datetime]:
    """The next scheduled cycle start strictly after ``now``."""
    now = now or timezone.now()
    day, _instant = latest_start(organization, now)
    day += datetime.timedelta(days=7)
    return day, start_instant(organization, day)
