"""Business dates are the organization's own calendar days, not UTC days (issue 12.2).

At 09:00 in Auckland (UTC+13 in March) UTC is still on the previous day; at 20:00 in Honolulu
(UTC−10) UTC is already on the next one. Each test runs at both moments.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from partnerships.models import Partnership
from tests.partnerships.helpers import detail_url, partnership_form

MOMENTS = [
    ("Pacific/Auckland", datetime.datetime(2026, 3, 10, 9, 0)),
    ("Pacific/Honolulu", datetime.datetime(2026, 3, 10, 20, 0)),
]


@pytest.fixture(params=MOMENTS, ids=["auckland-0900", "honolulu-2000"])
def local_moment(request, org):
    zone, wall_clock = request.param
    org.time_zone = zone
    org.save(update_fields=["time_zone"])
    moment = wall_clock.replace(tzinfo=ZoneInfo(zone))
    assert moment.astimezone(datetime.UTC).date() != moment.date()  # the zones disagree
    with time_machine.travel(moment, tick=False):
        yield moment.date()


def test_a_phase_started_today_says_today(manager_client, partner, manager, local_moment):
    response = manager_client.post(
        reverse("partnerships:partnership_create"),
        partnership_form(partner, manager, deferral_date=local_moment.isoformat()),
    )
    assert response.status_code == 302  # a deferral date of (local) today is accepted
    partnership = Partnership.objects.get()
    assert partnership.phase_started_on == local_moment
    page = manager_client.get(detail_url(partnership)).content.decode()
    day = f"{local_moment.day} {local_moment:%b %Y}"
    started = f'<time datetime="{local_moment.isoformat()}">{day}</time>'
    assert f"Started {started} · week 0" in page


def test_a_deferral_date_of_today_is_not_yet_passed(manager_client, partnership, local_moment):
    Partnership.objects.filter(pk=partnership.pk).update(
        deferral_date=local_moment, phase_started_on=local_moment - datetime.timedelta(days=3)
    )
    page = manager_client.get(detail_url(partnership)).content.decode()
    assert 'data-flag="deferral_passed"' not in page
    dashboard = manager_client.get(reverse("dashboard")).content.decode()
    assert "Deferral date passed" not in dashboard
    assert (
        f"Deferral date: If evidence remains ambiguous by {local_moment.isoformat()}" in dashboard
    )


def test_yesterday_on_the_local_calendar_has_passed(manager_client, partnership, local_moment):
    yesterday = local_moment - datetime.timedelta(days=1)
    Partnership.objects.filter(pk=partnership.pk).update(deferral_date=yesterday)
    page = manager_client.get(detail_url(partnership)).content.decode()
    assert 'data-flag="deferral_passed"' in page


def test_launch_items_due_today_are_counted_from_the_local_day(
    manager_client, partnership, local_moment
):
    url = reverse("partnerships:launch_plan", kwargs={"partnership_uuid": partnership.uuid})
    assert manager_client.post(url, {"launch_on": local_moment.isoformat()}).status_code == 302
    plan = partnership.launch_plan
    assert plan.items.filter(due_on=local_moment).count() == 2  # announce and listing, day 0
    dashboard = manager_client.get(reverse("dashboard")).content.decode()
    assert "Launch plan: Announce to shared customers" in dashboard
