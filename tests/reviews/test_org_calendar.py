"""Review dates are days on the organization's calendar, not UTC's.

Two organizations at the moments where UTC disagrees with them: Auckland at 09:00 local (UTC
is still on the previous day) and Honolulu at 20:00 local (UTC is already on the next day).
"""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from evidence.models import EvidenceEntry
from partnerships.models import Partnership
from reviews import services
from reviews.models import HealthReview, ReviewCycle
from reviews.services import feeds
from reviews.services.rules import daily_scan
from reviews.tasks import dispatch_review_cycles
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory

MONDAY = datetime.date(2026, 3, 2)
# (zone, review hour, the local wall-clock time of the test, UTC's date at that moment)
ZONES = {
    "auckland": ("Pacific/Auckland", 9, datetime.time(9, 0), MONDAY - datetime.timedelta(days=1)),
    "honolulu": ("Pacific/Honolulu", 20, datetime.time(20, 0), MONDAY + datetime.timedelta(days=1)),
}


def local(zone: str, day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(zone))


@pytest.fixture(params=sorted(ZONES))
def place(request, db):
    """An organization, its owner and a launched walk partnership, and the local moment."""
    zone, hour, time, utc_day = ZONES[request.param]
    with time_machine.travel(datetime.datetime(2026, 2, 20, 12, tzinfo=datetime.UTC)):
        organization = OrganizationFactory(time_zone=zone, review_weekday=0, review_hour=hour)
        owner = UserFactory()
        MembershipFactory(organization=organization, user=owner, role="owner", can_approve=True)
        partnership = PartnershipFactory(
            organization=organization,
            owner=owner,
            phase="walk",
            launched_on=datetime.date(2026, 1, 5),
            phase_started_on=datetime.date(2026, 1, 5),
        )
    moment = local(zone, MONDAY, time)
    assert moment.astimezone(datetime.UTC).date() == utc_day  # UTC is on another day
    return {
        "org": organization,
        "owner": owner,
        "partnership": partnership,
        "zone": zone,
        "time": time,
        "at": lambda day: local(zone, day, time),
    }


def test_the_cycle_starts_on_the_local_monday_and_is_due_the_local_tuesday(
    place, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(place["at"](MONDAY), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dispatch_review_cycles.delay()
    cycle = ReviewCycle.objects.get(organization=place["org"])
    assert cycle.starts_on == MONDAY
    assert cycle.due_on == MONDAY + datetime.timedelta(days=1)
    assert HealthReview.objects.get(partnership=place["partnership"]).due_on == cycle.due_on


def test_a_review_due_today_is_not_overdue_until_the_local_day_ends(place):
    services.cycle_start(organization=place["org"], starts_on=MONDAY)
    tuesday = MONDAY + datetime.timedelta(days=1)
    with time_machine.travel(place["at"](tuesday), tick=False):
        assert services.reminders_send(organization=place["org"])["overdue"] == 0
    wednesday = tuesday + datetime.timedelta(days=1)
    with time_machine.travel(place["at"](wednesday), tick=False):
        assert services.reminders_send(organization=place["org"])["overdue"] == 1


def test_a_deferral_date_of_today_is_not_yet_passed(place, django_capture_on_commit_callbacks):
    partnership = place["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(deferral_date=MONDAY)
    with time_machine.travel(place["at"](MONDAY), tick=False):
        assert daily_scan(organization=place["org"])["deferred"] == 0
    tuesday = MONDAY + datetime.timedelta(days=1)
    with (
        time_machine.travel(place["at"](tuesday), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert daily_scan(organization=place["org"])["deferred"] == 1
    partnership.refresh_from_db()
    assert partnership.status == "deferred"


def test_a_deferral_date_of_yesterday_has_passed_even_when_it_is_utcs_today(
    place, django_capture_on_commit_callbacks
):
    yesterday = MONDAY - datetime.timedelta(days=1)
    Partnership.objects.filter(pk=place["partnership"].pk).update(deferral_date=yesterday)
    with (
        time_machine.travel(place["at"](MONDAY), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.deferrals_apply(organization=place["org"]) == 1


def test_missed_local_cycles_count_as_ghosting(place, django_capture_on_commit_callbacks):
    for week in range(3):
        monday = MONDAY + datetime.timedelta(weeks=week)
        with (
            time_machine.travel(place["at"](monday), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            dispatch_review_cycles.delay()
    starts = list(
        ReviewCycle.objects.filter(organization=place["org"])
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
    )
    assert starts == [MONDAY + datetime.timedelta(weeks=w) for w in range(3)]
    place["partnership"].refresh_from_db()
    assert place["partnership"].missed_review_cycles == 2


def test_evidence_from_a_review_is_dated_the_local_today(place):
    services.cycle_start(organization=place["org"], starts_on=MONDAY)
    review = HealthReview.objects.get(partnership=place["partnership"])
    with time_machine.travel(place["at"](MONDAY), tick=False):
        services.review_submit(
            review=review,
            submitted_by=place["owner"],
            boundary_violated="none",
            evidence_less_trustworthy="",
            renegotiation_trigger="Two weeks of missed SLAs",
            unwind_trigger_fired=False,
            health="green",
            evidence={"artifact": "Weekly SLA export", "quality": "real"},
        )
    assert EvidenceEntry.objects.get(partnership=place["partnership"]).observed_on == MONDAY


def test_the_calendar_feed_counts_sixty_days_back_from_the_local_today(place, client):
    starts_on = MONDAY - datetime.timedelta(days=61)  # due the next day: 60 days before MONDAY
    cycle = services.cycle_start(organization=place["org"], starts_on=starts_on)
    assert (MONDAY - cycle.due_on).days == 60
    _feed, token = feeds.calendar_feed_create(organization=place["org"], user=place["owner"])
    with time_machine.travel(place["at"](MONDAY), tick=False):
        response = client.get(reverse("reviews:feed", args=[token]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    reviews = [e for e in cal.walk("VEVENT") if str(e.get("uid")).startswith("review-")]
    assert [e.decoded("dtstart") for e in reviews] == [cycle.due_on]
