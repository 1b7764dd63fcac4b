"""Reminders, escalation, deferral by default (rule 5), phase time boxes (rule 6), ghosting."""

import datetime

import pytest
import time_machine
from django.core import mail

from evidence.checkpoints import write_checkpoint
from evidence.models import Decision
from notifications.models import OutboundEmail
from partnerships.models import Partnership
from reviews import services
from reviews.models import HealthReview, ReviewCycle
from tests.evidence.factories import log_evidence
from tests.factories import PartnershipFactory, UserFactory

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def london(org):
    org.time_zone = "Europe/London"
    org.review_weekday = 0
    org.review_hour = 9
    org.save()
    return org


def start(org, day, capture):
    with capture(execute=True):
        return services.cycle_start(organization=org, starts_on=day)


@pytest.mark.django_db
def test_overdue_review_is_reminded_on_day_two_and_escalated_on_day_five(
    london, owner, approver, make_partnership, django_capture_on_commit_callbacks
):
    partnership = make_partnership(approver=approver)
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        cycle = start(london, datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)
    review = HealthReview.objects.get(partnership=partnership)
    assert cycle.due_on == datetime.date(2026, 3, 3)
    mail.outbox.clear()

    def tick(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return services.reminders_send(organization=london)

    assert tick(at(2026, 3, 3, 12, 0)) == {"overdue": 0, "reminded": 0, "escalated": 0}
    result = tick(at(2026, 3, 4, 0, 30))  # day 2
    assert result == {"overdue": 1, "reminded": 1, "escalated": 0}
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "overdue" in mail.outbox[0].subject
    assert tick(at(2026, 3, 4, 6, 0)) == {"overdue": 0, "reminded": 0, "escalated": 0}
    result = tick(at(2026, 3, 7, 0, 30))  # day 5
    assert result["escalated"] == 1
    assert mail.outbox[-1].to == [approver.email]
    assert "Escalation" in mail.outbox[-1].subject
    assert tick(at(2026, 3, 7, 8, 0))["escalated"] == 0
    review.refresh_from_db()
    assert review.state == "overdue"
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_escalation_reaches_approver_who_turned_digest_off(
    london, owner, approver, make_partnership, django_capture_on_commit_callbacks
):
    approver.digest_enabled = False
    approver.save()
    owner.digest_enabled = False
    owner.save()
    make_partnership(approver=approver)
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        start(london, datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 0  # no digest for someone who turned it off
    with (
        time_machine.travel(at(2026, 3, 7, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.reminders_send(organization=london)
    assert [m.to[0] for m in mail.outbox] == [owner.email, approver.email]


@pytest.mark.django_db
def test_passed_deferral_date_defers_partnership_by_itself(
    london, owner, approver, make_partnership, django_capture_on_commit_callbacks
):
    partnership = make_partnership(
        approver=approver, deferral_date=datetime.date(2026, 3, 10), phase="crawl"
    )
    with time_machine.travel(at(2026, 3, 10, 20, 0), tick=False):
        assert services.deferrals_apply(organization=london) == 0  # D has not passed yet
    with time_machine.travel(at(2026, 3, 11, 0, 5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.deferrals_apply(organization=london) == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert services.deferrals_apply(organization=london) == 0
    partnership.refresh_from_db()
    assert partnership.status == "deferred"
    decision = Decision.objects.get(partnership=partnership)
    assert decision.kind == "defer" and decision.by_system
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, approver.email])


@pytest.mark.django_db
def test_commit_decision_prevents_deferral_by_default(london, make_partnership):
    partnership = make_partnership(deferral_date=datetime.date(2026, 3, 10))
    Decision.objects.create(
        organization=london, partnership=partnership, kind="commit", rationale="Pilot held."
    )
    with time_machine.travel(at(2026, 3, 20, 12, 0), tick=False):
        assert services.deferrals_apply(organization=london) == 0
    partnership.refresh_from_db()
    assert partnership.status == "active"


@pytest.mark.django_db
def test_phase_past_its_time_box_is_flagged_once(
    london, owner, make_partnership, django_capture_on_commit_callbacks
):
    partnership = make_partnership(phase="walk", phase_started_on=datetime.date(2026, 1, 1))
    with time_machine.travel(at(2026, 3, 26, 12, 0), tick=False):  # 12 weeks = 26 March
        assert services.timeboxes_flag(organization=london) == 0
    later = time_machine.travel(at(2026, 3, 27, 12, 0), tick=False)
    with later, django_capture_on_commit_callbacks(execute=True):
        assert services.timeboxes_flag(organization=london) == 1
        assert services.timeboxes_flag(organization=london) == 0
    assert partnership.events.filter(summary__contains="go / no-go is due").count() == 1
    assert len(mail.outbox) == 1 and "time box" in mail.outbox[0].subject


@pytest.mark.django_db
def test_two_missed_cycles_after_launch_flag_ghosting(
    london, owner, make_partnership, django_capture_on_commit_callbacks
):
    partnership = make_partnership(launched_on=datetime.date(2026, 2, 1))
    for day in (datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)):
        with time_machine.travel(at(2026, 3, day.day, 9, 0), tick=False):
            start(london, day, django_capture_on_commit_callbacks)
    partnership.refresh_from_db()
    assert partnership.missed_review_cycles == 1
    with time_machine.travel(at(2026, 3, 16, 9, 0), tick=False):
        start(london, datetime.date(2026, 3, 16), django_capture_on_commit_callbacks)
    partnership.refresh_from_db()
    assert partnership.missed_review_cycles == 2
    # Answering the current review ends the streak.
    review = HealthReview.objects.get(partnership=partnership, state="due")
    services.review_submit(
        review=review,
        submitted_by=owner,
        boundary_violated="none",
        evidence_less_trustworthy="",
        renegotiation_trigger="SLA misses two weeks running",
        unwind_trigger_fired=False,
        health="amber",
    )
    partnership.refresh_from_db()
    assert partnership.missed_review_cycles == 0
    assert ReviewCycle.objects.count() == 3


@pytest.mark.django_db
def test_fired_unwind_trigger_emails_its_authorizer(
    london, owner, approver, make_partnership, django_capture_on_commit_callbacks
):
    authorizer = UserFactory(email="cfo@northwind.test")
    partnership = make_partnership(unwind_authorizer=authorizer, approver=approver)
    start(london, datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    review = HealthReview.objects.get(partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            review=review,
            submitted_by=owner,
            boundary_violated="Dispute desk handled non-EU cards.",
            evidence_less_trustworthy="The March SLA report.",
            renegotiation_trigger="Another week over 10 days.",
            unwind_trigger_fired=True,
            health="red",
            notes="Resolution time was 14 days for two weeks.",
        )
    assert [m.to for m in mail.outbox] == [[authorizer.email]]
    assert "Unwind trigger fired" in mail.outbox[0].subject


@pytest.mark.django_db
def test_submitted_review_adds_an_evidence_entry(london, owner, make_partnership):
    from evidence.models import EvidenceEntry

    partnership = make_partnership()
    services.cycle_start(organization=london, starts_on=datetime.date(2026, 3, 2))
    review = HealthReview.objects.get(partnership=partnership)
    services.review_submit(
        review=review,
        submitted_by=owner,
        boundary_violated="none",
        evidence_less_trustworthy="none",
        renegotiation_trigger="SLA below 99.5%",
        unwind_trigger_fired=False,
        health="green",
        evidence={
            "artifact": "SLA history for February: 99.93% uptime",
            "quality": "real",
            "limits": "One month only",
            "boundary_status": "intact",
            "observed_on": datetime.date(2026, 3, 1),
        },
    )
    entry = EvidenceEntry.objects.get(partnership=partnership)
    assert entry.quality == "real" and entry.recorded_by == owner
    with pytest.raises(Exception, match="already submitted"):
        services.review_submit(
            review=review,
            submitted_by=owner,
            boundary_violated="",
            evidence_less_trustworthy="",
            renegotiation_trigger="x",
            unwind_trigger_fired=False,
            health="green",
        )
    assert OutboundEmail.objects.filter(key__startswith="unwind").count() == 0
    assert Partnership.objects.get(pk=partnership.pk).missed_review_cycles == 0


@pytest.mark.django_db
def test_digest_turned_off_sends_no_digest(
    london, owner, make_partnership, django_capture_on_commit_callbacks
):
    owner.digest_enabled = False
    owner.save()
    make_partnership()
    start(london, datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)
    assert HealthReview.objects.count() == 1
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_digest_lists_every_review_of_the_owner_once(
    london, owner, make_partnership, django_capture_on_commit_callbacks
):
    first = make_partnership(name="Stripe payouts")
    second = make_partnership(name="Adyen disputes")
    other_owner = UserFactory()
    london.memberships.create(user=other_owner, role="manager")
    make_partnership(owner=other_owner)
    start(london, datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)
    mine = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(mine) == 1 and len(mail.outbox) == 2
    message = mine[0]
    assert "2 health reviews due" in message.subject
    html = message.alternatives[0][0]
    for partnership in (first, second):
        review = HealthReview.objects.get(partnership=partnership)
        assert f"/reviews/{review.uuid}/" in message.body
        assert f"/reviews/{review.uuid}/" in html
    assert PartnershipFactory  # factories importable for other tests


@pytest.mark.django_db
def test_the_owners_digest_carries_the_evidence_logs_signed_checkpoint(
    london, owner, manager, make_partnership, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.EVIDENCE_CHECKPOINT_DIR = str(tmp_path)
    mine = make_partnership(name="Stripe payouts")
    make_partnership(name="Adyen disputes", owner=manager)
    log_evidence(mine)
    log_evidence(mine)
    checkpoint = write_checkpoint(london)
    start(london, datetime.date(2026, 3, 2), django_capture_on_commit_callbacks)
    by_person = {m.to[0]: m for m in mail.outbox}
    ours = by_person[owner.email]
    assert f"entry #{checkpoint.sequence}, digest {checkpoint.head_hash}" in ours.body
    assert checkpoint.head_hash in ours.alternatives[0][0]
    # A manager's digest lists their reviews; the checkpoint is the owners' copy.
    assert checkpoint.head_hash not in by_person[manager.email].body
