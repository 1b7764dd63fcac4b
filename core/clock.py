"""The organization's own now and today.

Business dates (evidence dates, phase starts, deferral dates, due dates, charter expiry) are
days on the organization's calendar, not UTC days: at 09:00 in Auckland UTC is still on the
previous day, and at 20:00 in Honolulu UTC is already on the next one. Every "today" in a rule,
a form or a page comes from here.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def org_zone(organization) -> ZoneInfo:
    """The organization's time zone (UTC when it names none or an unknown one)."""
    try:
        return ZoneInfo(getattr(organization, "time_zone", "") or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def org_now(organization, now: datetime.datetime | None = None) -> datetime.datetime:
    """The current instant as a wall-clock time in the organization's zone."""
    return (now or timezone.now()).astimezone(org_zone(organization))


def org_today(organization, now: datetime.datetime | None = None) -> datetime.date:
    """Today's date where the organization is."""
    return org_now(organization, now).date()
