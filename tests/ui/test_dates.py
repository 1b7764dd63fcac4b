"""One short and one long date format, in the viewer's zone, the zone named with a time, and
a passed deadline marked in words (issue 18.3)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from core.templatetags.dates import iso, long_weekday_date, short_date, short_datetime
from core.zone import viewer_zone

INSTANT = datetime.datetime(2026, 12, 1, 23, 30, 5, 123456, tzinfo=datetime.UTC)


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_dates_have_one_short_and_one_long_format():
    day = datetime.date(2027, 3, 31)
    assert short_date(day) == "31 Mar 2027"
    assert long_weekday_date(day) == "Wednesday 31 March 2027"


def test_an_instant_is_shown_in_the_viewers_zone_with_the_zone_named():
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        assert short_date(INSTANT) == "2 Dec 2026"  # already the next day in Auckland
        assert short_datetime(INSTANT) == "2 Dec 2026, 12:30 NZDT"
    with timezone.override(ZoneInfo("America/New_York")):
        assert short_datetime(INSTANT) == "1 Dec 2026, 18:30 EST"


def test_the_datetime_attribute_is_valid_html():
    assert iso(INSTANT) == "2026-12-01T23:30:05Z"  # no microseconds, in UTC
    assert iso(datetime.date(2027, 3, 31)) == "2027-03-31"
    html = _render("{{ d|when:'long time' }}", d=INSTANT)
    assert html == '<time datetime="2026-12-01T23:30:05Z">Tuesday 1 December 2026, 23:30 UTC</time>'


def test_a_passed_deadline_says_so_in_words():
    today = timezone.localdate()
    passed = _render("{{ d|due }}", d=today - datetime.timedelta(days=1))
    assert 'class="passed"' in passed and "(passed)" in passed
    coming = _render("{{ d|due }}", d=today + datetime.timedelta(days=1))
    assert "(passed)" not in coming and coming.startswith("<time")


def test_bad_values_show_nothing_rather_than_fail():
    assert _render("{{ d|when }}{{ d|due }}{{ d|short_date }}", d="not a date") == ""
    assert _render("{{ d|when }}", d=None) == ""


def test_the_viewer_zone_is_theirs_then_their_organizations(db):
    from tests.factories import OrganizationFactory, UserFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(time_zone="UTC")
    request.organization = OrganizationFactory(time_zone="Asia/Tokyo")
    assert viewer_zone(request) == ZoneInfo("Asia/Tokyo")
    request.user.time_zone = "Europe/Berlin"
    assert viewer_zone(request) == ZoneInfo("Europe/Berlin")
    request.organization.time_zone = "Not/AZone"
    request.user.time_zone = "UTC"
    assert viewer_zone(request) == ZoneInfo("UTC")
