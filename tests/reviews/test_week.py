"""A week passes, by time travel, with the beat schedule's review tasks running every hour."""

import datetime
import importlib
from collections import Counter

import pytest
import time_machine
from django.core import mail

from accounts.models import Role
from config.celery import app
from notifications.models import OutboundEmail
from reviews import services
from reviews.models import HealthReview, ReviewCycle
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory

UTC = datetime.UTC
REVIEW_TASKS = [
    getattr(importlib.import_module(entry["task"].rsplit(".", 1)[0]), entry["task"].rsplit(".")[-1])
    for entry in app.conf.beat_schedule.values()
    if entry["task"].startswith("reviews.")
]


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.django_db
def test_a_week_of_beat_runs_digests_reminds_escalates_and_defers(
    django_capture_on_commit_callbacks,
):
    assert len(REVIEW_TASKS) == 3  # dispatcher, reminders/escalation, daily scan
    with time_machine.travel(at(2026, 3, 1, 12, 0), tick=False):  # Sunday
        org = OrganizationFactory(time_zone="Europe/London", review_weekday=0, review_hour=9)
        ann, ben, ava = (UserFactory() for _ in range(3))
        MembershipFactory(organization=org, user=ann, role=Role.MANAGER)
        MembershipFactory(organization=org, user=ben, role=Role.MANAGER)
        MembershipFactory(organization=org, user=ava, role=Role.MANAGER, can_approve=True)
        launched = datetime.date(2026, 1, 12)
        common = {"organization": org, "approver": ava, "launched_on": launched}
        ann_first = PartnershipFactory(owner=ann, phase="walk", **common)
        PartnershipFactory(owner=ann, phase="run", **common)
        ben_one = PartnershipFactory(
            owner=ben, phase="walk", deferral_date=datetime.date(2026, 3, 4), **common
        )

    moment = at(2026, 3, 1, 13, 0)
    while moment <= at(2026, 3, 9, 10, 0):
        with time_machine.travel(moment, tick=False):
            for task in REVIEW_TASKS:
                with django_capture_on_commit_callbacks(execute=True):
                    task.delay()
            if moment == at(2026, 3, 3, 10, 0):  # Ben answers his review on Tuesday
                services.review_submit(
                    review=HealthReview.objects.get(partnership=ben_one),
                    submitted_by=ben,
                    boundary_violated="none",
                    evidence_less_trustworthy="",
                    renegotiation_trigger="Payout delays over two days",
                    unwind_trigger_fired=False,
                    health="green",
                )
        # Every third hour: the beat runs hourly, and a missed run must not matter either.
        moment += datetime.timedelta(hours=3)

    kinds = Counter(
        (key.split(":")[0], to) for key, to in OutboundEmail.objects.values_list("key", "to")
    )
    assert kinds[("digest", ann.email)] == 2  # this week's and next week's cycle
    assert kinds[("digest", ben.email)] == 1  # deferred on Thursday: not reviewed next week
    assert kinds[("review-reminder", ann.email)] == 1
    assert kinds[("review-reminder", ben.email)] == 0  # he answered
    assert kinds[("review-escalation", ava.email)] == 1
    assert kinds[("deferral", ben.email)] == 1 and kinds[("deferral", ava.email)] == 1
    assert len(mail.outbox) == OutboundEmail.objects.count()
    assert not OutboundEmail.objects.exclude(state="sent").exists()

    assert list(ReviewCycle.objects.values_list("starts_on", flat=True).order_by("starts_on")) == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 9),
    ]
    first_cycle = ReviewCycle.objects.get(starts_on=datetime.date(2026, 3, 2))
    assert HealthReview.objects.filter(cycle=first_cycle).count() == 3
    assert HealthReview.objects.filter(cycle=first_cycle, state="skipped").count() == 2
    ben_one.refresh_from_db()
    assert ben_one.status == "deferred"
    ann_first.refresh_from_db()
    assert ann_first.missed_review_cycles == 1
