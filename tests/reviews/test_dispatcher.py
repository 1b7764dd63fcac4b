"""The hourly dispatcher starts each organization's cycle at its own local weekday and hour."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications.models import OutboundEmail
from reviews import schedule
from reviews.models import HealthReview, ReviewCycle
from reviews.tasks import dispatch_review_cycles
from tests.factories import OrganizationFactory, PartnershipFactory, UserFactory

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def run_dispatcher(capture):
    with capture(execute=True):
        dispatch_review_cycles.delay()


def org_with_partnership(tz, weekday=0, hour=9, **kwargs):
    organization = OrganizationFactory(
        time_zone=tz, review_weekday=weekday, review_hour=hour, **kwargs
    )
    owner = UserFactory()
    organization.memberships.create(user=owner, role="manager")
    PartnershipFactory(
        organization=organization,
        owner=owner,
        phase="walk",
        launched_on=datetime.date(2026, 1, 5),
        phase_started_on=datetime.date(2026, 1, 5),
    )
    return organization


@pytest.mark.django_db
def test_cycle_starts_at_local_hour_in_each_time_zone(django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 3, 1, 0, 0), tick=False):  # a Sunday
        tokyo = org_with_partnership("Asia/Tokyo")
        new_york = org_with_partnership("America/New_York")
        london = org_with_partnership("Europe/London")

    # Monday 09:00 in Tokyo is Monday 00:00 UTC (+09:00, no DST).
    with time_machine.travel(at(2026, 3, 1, 23, 59), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    assert not ReviewCycle.objects.exists()
    with time_machine.travel(at(2026, 3, 2, 0, 0), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    assert list(ReviewCycle.objects.values_list("organization", flat=True)) == [tokyo.pk]

    # Monday 09:00 in London is 09:00 UTC in winter.
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    assert ReviewCycle.objects.filter(organization=london).count() == 1
    assert not ReviewCycle.objects.filter(organization=new_york).exists()

    # Monday 09:00 in New York is 14:00 UTC before the DST change (-05:00).
    with time_machine.travel(at(2026, 3, 2, 13, 59), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    assert not ReviewCycle.objects.filter(organization=new_york).exists()
    with time_machine.travel(at(2026, 3, 2, 14, 0), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    cycle = ReviewCycle.objects.get(organization=new_york)
    assert cycle.starts_on == datetime.date(2026, 3, 2)
    assert cycle.starts_at == at(2026, 3, 2, 14, 0)
    assert HealthReview.objects.count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_cycle_stays_at_local_hour_across_a_dst_change(django_capture_on_commit_callbacks):
    """US clocks spring forward on Sunday 8 March 2026: Monday 09:00 becomes 13:00 UTC."""
    with time_machine.travel(at(2026, 3, 1, 0, 0), tick=False):
        new_york = org_with_partnership("America/New_York")
    with time_machine.travel(at(2026, 3, 2, 14, 0), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    assert ReviewCycle.objects.filter(organization=new_york).count() == 1

    # Hourly through the week: nothing new until the next Monday 09:00 local.
    moment = at(2026, 3, 2, 15, 0)
    while moment < at(2026, 3, 9, 13, 0):
        with time_machine.travel(moment, tick=False):
            run_dispatcher(django_capture_on_commit_callbacks)
        moment += datetime.timedelta(hours=1)
    assert ReviewCycle.objects.filter(organization=new_york).count() == 1

    with time_machine.travel(at(2026, 3, 9, 13, 0), tick=False):  # 09:00 EDT
        run_dispatcher(django_capture_on_commit_callbacks)
    second = ReviewCycle.objects.get(organization=new_york, starts_on=datetime.date(2026, 3, 9))
    assert second.starts_at == at(2026, 3, 9, 13, 0)
    assert second.starts_at.astimezone(ZoneInfo("America/New_York")).hour == 9
    # The first cycle's unanswered review is now missed, and the partnership got a new one.
    assert HealthReview.objects.filter(state="skipped").count() == 1
    assert HealthReview.objects.filter(cycle=second, state="due").count() == 1


def test_fall_back_change_keeps_the_local_hour():
    """Europe/London falls back on Sunday 25 October 2026; Monday 09:00 is 09:00 UTC again."""
    org = OrganizationFactory.build(time_zone="Europe/London", review_weekday=0, review_hour=9)
    before = schedule.start_instant(org, datetime.date(2026, 10, 19))
    after = schedule.start_instant(org, datetime.date(2026, 10, 26))
    assert before == at(2026, 10, 19, 8, 0)
    assert after == at(2026, 10, 26, 9, 0)
    day, instant = schedule.latest_start(org, at(2026, 10, 26, 8, 59))
    assert day == datetime.date(2026, 10, 19)
    day, _next = schedule.next_start(org, at(2026, 10, 26, 8, 59))
    assert day == datetime.date(2026, 10, 26)


@pytest.mark.django_db
def test_new_organization_waits_for_its_first_review_day(django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 3, 4, 12, 0), tick=False):  # a Wednesday
        org_with_partnership("Europe/London")
        run_dispatcher(django_capture_on_commit_callbacks)
    assert not ReviewCycle.objects.exists()


@pytest.mark.django_db
def test_cycle_run_twice_creates_no_second_review_or_email(django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 3, 1, 0, 0), tick=False):
        london = org_with_partnership("Europe/London")
    with time_machine.travel(at(2026, 3, 2, 9, 30), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
        run_dispatcher(django_capture_on_commit_callbacks)
        # Even calling the cycle task directly again changes nothing.
        from reviews.tasks import start_review_cycle

        with django_capture_on_commit_callbacks(execute=True):
            start_review_cycle.delay(london.pk, "2026-03-02")
    assert ReviewCycle.objects.count() == 1
    assert HealthReview.objects.count() == 1
    assert OutboundEmail.objects.filter(key__startswith="digest:").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_crawl_reviewed_only_when_the_organization_asks(django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 3, 1, 0, 0), tick=False):
        plain = org_with_partnership("UTC")
        crawl_too = org_with_partnership("UTC", review_include_crawl=True)
        for organization in (plain, crawl_too):
            PartnershipFactory(organization=organization, phase="crawl", owner=UserFactory())
            PartnershipFactory(organization=organization, phase="run", status="deferred")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        run_dispatcher(django_capture_on_commit_callbacks)
    assert HealthReview.objects.filter(organization=plain).count() == 1
    assert HealthReview.objects.filter(organization=crawl_too).count() == 2


def test_start_hour_skipped_by_spring_forward_still_starts_once():
    """London skips 01:00–02:00 on Sunday 29 March 2026: a 01:00 cycle starts at 01:00 UTC."""
    org = OrganizationFactory.build(time_zone="Europe/London", review_weekday=6, review_hour=1)
    instant = schedule.start_instant(org, datetime.date(2026, 3, 29))
    assert instant == at(2026, 3, 29, 1, 0)
    assert schedule.latest_start(org, at(2026, 3, 29, 0, 59))[0] == datetime.date(2026, 3, 22)
    assert schedule.latest_start(org, at(2026, 3, 29, 1, 0))[0] == datetime.date(2026, 3, 29)


@pytest.mark.django_db
def test_beat_outage_starts_only_the_latest_cycle(django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 3, 1, 0, 0), tick=False):
        london = org_with_partnership("Europe/London")
    with time_machine.travel(at(2026, 3, 25, 12, 0), tick=False):  # three weeks of no beat
        run_dispatcher(django_capture_on_commit_callbacks)
    assert list(
        ReviewCycle.objects.filter(organization=london).values_list("starts_on", flat=True)
    ) == [datetime.date(2026, 3, 23)]
