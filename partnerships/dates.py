"""Which dates make sense for a partnership, each rule in one function.

Forms call these to say what is wrong next to the field (and print the allowed range in the
field's help text); the services call them again, so a date that makes no sense is refused
whoever writes it. Every "today" is the organization's own (``core.clock.org_today``).

Each window is wide enough for real plans and narrow enough that arithmetic on the date (a
launch checklist runs from six weeks before the launch to eight weeks after it) never leaves
the calendar.
"""

from __future__ import annotations

import datetime

DEFERRAL_HORIZON = datetime.timedelta(days=3 * 365)
LAUNCH_PAST = datetime.timedelta(days=365)
LAUNCH_HORIZON = datetime.timedelta(days=2 * 365)
ITEM_WINDOW = datetime.timedelta(days=365)  # a checklist item is due within a year of launch


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


def deferral_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + DEFERRAL_HORIZON


def deferral_help(today: datetime.date) -> str:
    first, last = deferral_range(today)
    return f"If … by this date, you defer. From today ({_day(first)}) to {_day(last)}."


def deferral_date_error(
    value: datetime.date | None, *, today: datetime.date, previous: datetime.date | None = None
) -> str | None:
    """Why ``value`` cannot be the deferral date, or None.

    A deferral date is when the partnership will be deferred if the evidence is still
    ambiguous, so a new one in the past would defer it the moment it is saved (rule 5). A date
    that was already set and has since passed may stay while other fields are edited: the page
    flags it instead (``rules.partnership_flags``).
    """
    if value is None or value == previous:
        return None
    first, last = deferral_range(today)
    if value < first:
        return f"Choose today ({_day(first)}) or later: this is when you will defer."
    if value > last:
        return f"Choose a date by {_day(last)}: a deferral trigger further out tests nothing."
    return None


def phase_start_error(
    value: datetime.date, *, today: datetime.date, current_start: datetime.date | None
) -> str | None:
    """Why a phase cannot start on ``value``, or None.

    A phase starts when the decision is taken, so not in the future, and not before the phase
    it replaces started (the timeline would run backwards and the time box would be wrong).
    """
    if value > today:
        return f"A phase starts when it is decided: {_day(today)} at the latest."
    if current_start is not None and value < current_start:
        return f"A phase cannot start before the current one did ({_day(current_start)})."
    return None


def launch_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - LAUNCH_PAST, today + LAUNCH_HORIZON


def launch_help(today: datetime.date) -> str:
    first, last = launch_range(today)
    return f"The day of the launch (entry into walk), from {_day(first)} to {_day(last)}."


def launch_date_error(value: datetime.date, *, today: datetime.date) -> str | None:
    """Why ``value`` cannot be the launch date, or None: within a year back (a plan written
    down after the launch) and two years ahead."""
    first, last = launch_range(today)
    if not first <= value <= last:
        return f"Choose a launch date from {_day(first)} to {_day(last)}."
    return None


def item_range(launch_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    return launch_on - ITEM_WINDOW, launch_on + ITEM_WINDOW


def item_help(launch_on: datetime.date) -> str:
    first, last = item_range(launch_on)
    return f"Within a year of the launch: from {_day(first)} to {_day(last)}."


def item_due_error(value: datetime.date, *, launch_on: datetime.date) -> str | None:
    """Why a checklist item cannot be due on ``value``, or None: within a year of the launch
    it belongs to."""
    first, last = item_range(launch_on)
    if not first <= value <= last:
        return f"Choose a date from {_day(first)} to {_day(last)}."
    return None
