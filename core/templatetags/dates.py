"""One way to show dates and times on every page (issue 18.3).

Two formats, nothing else: short (``1 Dec 2026``) for lists, tables and badges, long
(``Tuesday 1 December 2026``) where a date is the subject of a sentence. An instant is shown
in the viewer's zone (``core.zone``) with the zone named after the time, because "15:38"
means nothing to a partner in another country. A deadline that has passed says so in words,
not only in colour.

    (a builtin of every template: config/settings.py TEMPLATES)
    {{ entry.observed_on|when }}            <time datetime="2026-12-01">1 Dec 2026</time>
    {{ version.sent_at|when:"time" }}       … 1 Dec 2026, 15:38 GMT
    {{ charter.expires_on|when:"long" }}    … Tuesday 1 December 2026
    {{ partnership.defer_on|due }}          … 30 Nov 2026 (passed)
    {{ entry.created_at|short_date }}       plain text, for attributes and titles
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()

SHORT = "j M Y"
LONG = "l j F Y"
TIME = "H:i T"
PASSED = '<time class="passed" datetime="{}">{}</time> <span class="passed-note">(passed)</span>'


def _local(value):
    """A datetime in the active (viewer's) zone; a date as it is; anything else as None."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return None


def _text(value, style: str) -> str:
    local = _local(value)
    if local is None:
        return ""
    words = style.split()
    text = date_format(local, LONG if "long" in words else SHORT)
    if "time" in words and isinstance(local, datetime.datetime):
        text += ", " + date_format(local, TIME)
    return text


@register.filter
def short_date(value) -> str:
    """``1 Dec 2026`` (an instant: its day where the viewer is)."""
    return _text(value, "short")


@register.filter
def long_date(value) -> str:
    """``Tuesday 1 December 2026``."""
    return _text(value, "long")


@register.filter
def short_datetime(value) -> str:
    """``1 Dec 2026, 15:38 GMT``: the time in the viewer's zone, the zone named."""
    return _text(value, "short time")


@register.filter
def iso(value) -> str:
    """A valid ``datetime`` attribute: ``2026-12-01``, or an instant in UTC to the second."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
            return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.filter
def when(value, style: str = "short"):
    """The date (``"long"`` for the long format, ``"time"`` to add the time and zone) as a
    ``<time>`` element a machine can read."""
    if _local(value) is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', iso(value), _text(value, style))


@register.filter
def has_passed(value) -> bool:
    """Before today (a date) or before now (an instant), in the viewer's zone."""
    local = _local(value)
    if isinstance(local, datetime.datetime):
        return local < timezone.now()
    if local is not None:
        return local < timezone.localdate()
    return False


@register.filter
def due(value, style: str = "short"):
    """A deadline: like ``when``, and marked "(passed)" in words once it has gone by."""
    if _local(value) is None:
        return ""
    if has_passed(value):
        return format_html(PASSED, iso(value), _text(value, style))
    return when(value, style)
