"""Health reviews announce themselves: due, submitted, overdue, disagreement, and rule 5's
deferral by default; each reaches a subscribed endpoint once, however often the task runs."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews import services, tasks
from reviews.models import HealthReview, PartnerReview
from tests.factories import ContactFactory, PartnerFactory, PartnershipFactory
from webhooks.endpoints import endpoint_create
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
REVIEW_EVENTS = [
    "review.due",
    "review.submitted",
    "review.overdue",
    "review.disagreement",
    "partnership.deferred_by_default",
]
ANSWERS = {
    "boundary_violated": "None this week.",
    "evidence_less_trustworthy": "Nothing new.",
    "renegotiation_trigger": "Two weeks of late settlement files.",
    "unwind_trigger_fired": False,
    "health": "green",
    "notes": "",
}


def at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def make_partnership(org, owner):
    """A launched, active partnership of Northwind, in walk unless told otherwise."""

    def make(**kwargs):
        launched = timezone.localdate() - datetime.timedelta(days=30)
        defaults = {"organization": org, "owner": owner, "phase": "walk", "status": "active"}
        defaults |= {"launched_on": launched, "phase_started_on": launched}
        return PartnershipFactory(**{**defaults, **kwargs})

    return make


@pytest.fixture
def subscribed(org, owner, receiver, allow_private):
    endpoint, secret = endpoint_create(
        organization=org, created_by=owner, url=receiver.url, event_types=REVIEW_EVENTS
    )
    receiver.secrets = [secret]
    return endpoint


def _events(type: str) -> list[Event]:
    return list(Event.objects.filter(type=type).order_by("pk"))


def test_a_cycle_announces_each_new_review_once_even_when_its_task_runs_twice(
    org, make_partnership, subscribed, receiver, django_capture_on_commit_callbacks
):
    walk = make_partnership(name="Ledger sync")
    run = make_partnership(name="Card acquiring", phase="run")
    make_partnership(name="Still crawling", phase="crawl")  # not reviewed: no event
    with time_machine.travel(at(2026, 3, 2, 12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.start_review_cycle(org.pk, MONDAY.isoformat())
        with django_capture_on_commit_callbacks(execute=True):
            tasks.start_review_cycle(org.pk, MONDAY.isoformat())

    due = _events("review.due")
    assert sorted(e.data["partnership"]["name"] for e in due) == [run.name, walk.name]
    review = HealthReview.objects.get(partnership=walk)
    payload = next(e.data for e in due if e.data["partnership"]["id"] == str(walk.uuid))
    assert payload["review"] == {
        "id": str(review.uuid),
        "state": "due",
        "phase": "walk",
        "due_on": review.due_on.isoformat(),
    }
    assert payload["cycle"]["starts_on"] == MONDAY.isoformat()
    assert payload["partnership"]["partner"]["name"] == walk.partner.name
    assert Delivery.objects.filter(endpoint=subscribed).count() == 2
    # The receiver verified both with standardwebhooks and got each exactly once.
    assert len(receiver.accepted) == 2 == len(receiver.received)
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert ids == {e.message_id for e in due}
    assert {json.loads(r.body)["type"] for r in receiver.received} == {"review.due"}


def test_a_partnership_that_joins_later_is_announced_when_the_cycle_is_run_again(
    org, make_partnership, subscribed
):
    make_partnership(name="First")
    services.cycle_start(organization=org, starts_on=MONDAY)
    later = make_partnership(name="Later")
    services.cycle_start(organization=org, starts_on=MONDAY)
    assert [e.data["partnership"]["name"] for e in _events("review.due")] == ["First", "Later"]
    assert str(later.uuid) == _events("review.due")[1].data["partnership"]["id"]


def test_submitting_a_review_announces_it_once(org, owner, make_partnership, subscribed):
    partnership = make_partnership()
    services.cycle_start(organization=org, starts_on=MONDAY)
    review = HealthReview.objects.get(partnership=partnership)
    services.review_submit(review=review, submitted_by=owner, **{**ANSWERS, "health": "amber"})
    with pytest.raises(ValidationError):  # a second submit is refused, and announces nothing
        services.review_submit(review=review, submitted_by=owner, **ANSWERS)
    [submitted] = _events("review.submitted")
    assert submitted.data["review"]["id"] == str(review.uuid)
    assert submitted.data["review"]["state"] == "submitted"
    assert submitted.data["health"] == "amber"
    assert submitted.data["submitted_by"] == owner.email


def test_overdue_reviews_are_announced_once_however_often_reminders_run(
    org, owner, make_partnership, subscribed
):
    late = make_partnership(name="Late")
    answered = make_partnership(name="Answered")
    services.cycle_start(organization=org, starts_on=MONDAY)
    services.review_submit(
        review=HealthReview.objects.get(partnership=answered), submitted_by=owner, **ANSWERS
    )
    with time_machine.travel(at(2026, 3, 5, 12), tick=False):
        tasks.remind_overdue_reviews()
        tasks.remind_overdue_reviews()
    [overdue] = _events("review.overdue")
    assert overdue.data["partnership"]["id"] == str(late.uuid)
    assert overdue.data["review"]["state"] == "overdue"
    assert HealthReview.objects.get(partnership=late).state == "overdue"


def test_a_disagreement_with_the_partner_is_announced_once(
    org, owner, make_partnership, subscribed
):
    partner = PartnerFactory(organization=org, name="PayHarbor")
    contact = ContactFactory(partner=partner, email="lena@payharbor.example")
    services.partner_reviewer_set(contact=contact, on=True, actor=owner)
    partnership = make_partnership(partner=partner)
    services.cycle_start(organization=org, starts_on=MONDAY)
    review = HealthReview.objects.get(partnership=partnership)
    services.review_submit(review=review, submitted_by=owner, **ANSWERS)
    services.partner_review_submit(
        partner_review=PartnerReview.objects.get(partnership=partnership),
        contact=contact,
        **{**ANSWERS, "health": "red"},
    )
    from reviews.disagreements import disagreement_check

    disagreement_check(review=review)  # checked again: the record exists, nothing new is sent
    [event] = _events("review.disagreement")
    assert event.data["review"]["id"] == str(review.uuid)
    assert event.data["disagreement"]["differs"] == ["overall health"]


def test_agreeing_sides_announce_no_disagreement(org, owner, make_partnership, subscribed):
    partner = PartnerFactory(organization=org)
    contact = ContactFactory(partner=partner)
    services.partner_reviewer_set(contact=contact, on=True, actor=owner)
    partnership = make_partnership(partner=partner)
    services.cycle_start(organization=org, starts_on=MONDAY)
    services.review_submit(
        review=HealthReview.objects.get(partnership=partnership), submitted_by=owner, **ANSWERS
    )
    services.partner_review_submit(
        partner_review=PartnerReview.objects.get(partnership=partnership),
        contact=contact,
        **ANSWERS,
    )
    assert _events("review.disagreement") == []


def test_deferral_by_default_is_announced_once_when_the_daily_scan_runs_twice(
    org, approver, make_partnership, subscribed
):
    partnership = make_partnership(
        approver=approver, deferral_date=datetime.date(2026, 3, 10), phase="crawl"
    )
    with time_machine.travel(at(2026, 3, 12, 12), tick=False):
        tasks.daily_review_scan()
        tasks.daily_review_scan()
    [event] = _events("partnership.deferred_by_default")
    assert event.data["partnership"]["id"] == str(partnership.uuid)
    assert event.data["deferral_date"] == "2026-03-10"
    assert event.data["decision"]["kind"] == "defer"
    assert "passed with no commit decision" in event.data["rationale"]
    assert Delivery.objects.filter(event=event).count() == 1


def test_a_cycle_nobody_subscribed_to_stores_no_event(org, owner, make_partnership, allow_private):
    make_partnership()
    endpoint_create(
        organization=org,
        created_by=owner,
        url="http://127.0.0.1:9/accord",
        event_types=["evidence.recorded"],
    )
    services.cycle_start(organization=org, starts_on=MONDAY)
    assert HealthReview.objects.count() == 1
    assert not Event.objects.exists()
