import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from evidence.chain import GENESIS, chain_verify
from evidence.models import Decision, EvidenceEntry, EvidencePolicy
from evidence.services import decision_record, decision_review
from partnerships.models import PartnershipEvent
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_evidence_gate():
    """Phase changes checked by the evidence gate alone (other apps' gates are theirs to test)."""
    from partnerships.extensions import PHASE_GATES

    with PHASE_GATES.only("evidence_sufficiency"):
        yield


@pytest.fixture
def partnership(org, owner):
    return PartnershipFactory(organization=org, owner=owner, dependency="low", status="active")


def test_entries_are_chained_per_organization(partnership, other_org, outsider):
    first = log_evidence(partnership)
    second = log_evidence(partnership, quality="real")
    other = log_evidence(PartnershipFactory(organization=other_org, owner=outsider))
    assert (first.sequence, second.sequence, other.sequence) == (1, 2, 1)
    assert first.prev_hash == GENESIS and second.prev_hash == first.entry_hash
    assert other.prev_hash == GENESIS
    assert chain_verify(partnership.organization_id).intact


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_update_of_an_entry(partnership):
    entry = log_evidence(partnership)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE evidence_evidenceentry SET artifact = 'forged' WHERE id = %s", [entry.pk]
        )
    entry.refresh_from_db()
    assert entry.artifact != "forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_delete_of_an_entry(partnership):
    entry = log_evidence(partnership)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM evidence_evidenceentry WHERE id = %s", [entry.pk])
    assert EvidenceEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the trigger disabled")
def test_chain_detects_an_altered_row(partnership):
    entries = [log_evidence(partnership, days_ago=i) for i in range(4)]
    with connection.cursor() as cursor:
        # Tampering as a superuser would: with triggers switched off for this session.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE evidence_evidenceentry SET quality = 'real' WHERE id = %s", [entries[2].pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    report = chain_verify(partnership.organization_id)
    assert not report.intact
    assert report.broken_sequence == 3
    assert "content" in report.problem


def test_correction_supersedes_and_both_stay(partnership, manager):
    original = log_evidence(partnership, quality="real")
    correction = log_evidence(
        partnership, quality="pilot", supersedes=original, correction_reason="It was a pilot."
    )
    assert correction.supersedes == original
    assert EvidenceEntry.objects.filter(partnership=partnership).count() == 2
    with pytest.raises(ValidationError) as exc:
        log_evidence(partnership, supersedes=original, correction_reason="again")
    assert "supersedes" in exc.value.message_dict


def test_correction_needs_a_reason(partnership):
    original = log_evidence(partnership)
    with pytest.raises(ValidationError) as exc:
        log_evidence(partnership, supersedes=original)
    assert "correction_reason" in exc.value.message_dict


def test_commit_without_sufficient_evidence_says_what_is_missing(partnership, owner):
    anecdote = log_evidence(partnership, quality="anecdote")
    with pytest.raises(ValidationError) as exc:
        decision_record(
            partnership=partnership,
            kind="commit",
            rationale="Looks good",
            evidence=[anecdote],
            decided_by=owner,
        )
    assert "pilot or better" in exc.value.message_dict["evidence"][0]
    assert not Decision.objects.exists()


def test_commit_on_low_dependency_takes_effect_at_once(partnership, owner):
    partnership.status = "proposed"
    partnership.save(update_fields=["status"])
    pilot = log_evidence(partnership, quality="pilot")
    decision = decision_record(
        partnership=partnership,
        kind="commit",
        rationale="Pilot held",
        evidence=[pilot],
        decided_by=owner,
    )
    partnership.refresh_from_db()
    assert decision.state == Decision.State.EFFECTIVE
    assert partnership.status == "active"
    assert list(decision.evidence.all()) == [pilot]
    assert PartnershipEvent.objects.filter(partnership=partnership, kind="decision").exists()


def test_system_deferral_takes_effect_immediately(partnership):
    decision = decision_record(
        partnership=partnership, kind="defer", rationale="Deferral date passed", by_system=True
    )
    partnership.refresh_from_db()
    assert decision.by_system and decision.state == Decision.State.EFFECTIVE
    assert partnership.status == "deferred"
    assert PartnershipEvent.objects.filter(
        partnership=partnership, kind="status", by_system=True
    ).exists()


def _critical_evidence(partnership):
    # Real-conditions evidence across two weekly cycles (2 and 10 days ago).
    return [
        log_evidence(partnership, quality="real", days_ago=2),
        log_evidence(partnership, quality="real", days_ago=3),
        log_evidence(partnership, quality="real", days_ago=10),
    ]


def test_critical_go_waits_for_the_approver_and_emails_them(
    only_evidence_gate, partnership, manager, approver, django_capture_on_commit_callbacks
):
    partnership.dependency = "critical"
    partnership.approver = approver
    partnership.save(update_fields=["dependency", "approver"])
    evidence = _critical_evidence(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_record(
            partnership=partnership,
            kind="go",
            rationale="Three real runs",
            evidence=evidence,
            decided_by=manager,
        )
    partnership.refresh_from_db()
    assert decision.state == Decision.State.PENDING and decision.approver == approver
    assert partnership.phase == "crawl"
    assert [m.to for m in mail.outbox] == [[approver.email]]
    assert "Approval needed" in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        decision_review(
            decision=decision, reviewer=approver, approve=True, note="Evidence is solid"
        )
    partnership.refresh_from_db()
    decision.refresh_from_db()
    assert decision.state == Decision.State.EFFECTIVE and decision.approved_at
    assert partnership.phase == "walk"
    assert mail.outbox[-1].to == [manager.email] and "approved" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):
        decision_review(decision=decision, reviewer=approver, approve=True, note="again")
    assert len(mail.outbox) == 2


def test_rejected_decision_never_takes_effect(partnership, manager, approver):
    partnership.dependency = "critical"
    partnership.approver = approver
    partnership.save(update_fields=["dependency", "approver"])
    decision = decision_record(
        partnership=partnership,
        kind="commit",
        rationale="Ship it",
        evidence=_critical_evidence(partnership),
        decided_by=manager,
    )
    decision_review(decision=decision, reviewer=approver, approve=False, note="Not enough volume")
    decision.refresh_from_db()
    partnership.refresh_from_db()
    assert decision.state == Decision.State.REJECTED
    assert decision.approval_note == "Not enough volume"
    assert partnership.phase == "crawl"


def test_only_the_named_approver_may_approve(partnership, manager, approver, owner):
    partnership.dependency = "critical"
    partnership.approver = approver
    partnership.save(update_fields=["dependency", "approver"])
    decision = decision_record(
        partnership=partnership,
        kind="commit",
        rationale="Ship it",
        evidence=_critical_evidence(partnership),
        decided_by=manager,
    )
    with pytest.raises(ValidationError):
        decision_review(decision=decision, reviewer=owner, approve=True, note="ok")


def test_org_policy_can_require_approval_for_every_decision(partnership, manager, approver):
    EvidencePolicy.objects.create(
        organization=partnership.organization, approval_min_dependency="low"
    )
    decision = decision_record(
        partnership=partnership, kind="renegotiate", rationale="Terms drifted", decided_by=manager
    )
    assert decision.state == Decision.State.PENDING
    partnership.refresh_from_db()
    assert partnership.status == "active"


def test_phase_gate_blocks_walk_without_evidence(only_evidence_gate, partnership, owner):
    from partnerships.services import partnership_change_phase

    with pytest.raises(ValidationError) as exc:
        partnership_change_phase(partnership=partnership, to_phase="walk", actor=owner, reason="go")
    assert any("pilot or better" in m for m in exc.value.messages)
    log_evidence(partnership, quality="pilot")
    partnership_change_phase(partnership=partnership, to_phase="walk", actor=owner, reason="go")
    partnership.refresh_from_db()
    assert partnership.phase == "walk"


def test_evidence_cannot_come_from_another_partnership(partnership, owner, org):
    other = PartnershipFactory(organization=org, owner=owner)
    foreign = log_evidence(other, quality="real")
    with pytest.raises(ValidationError) as exc:
        decision_record(
            partnership=partnership,
            kind="commit",
            rationale="x",
            evidence=[foreign],
            decided_by=owner,
        )
    assert "evidence" in exc.value.message_dict


def test_critical_phase_gate_needs_an_approved_decision(only_evidence_gate, partnership, owner):
    from partnerships.services import partnership_change_phase

    partnership.dependency = "critical"
    partnership.save(update_fields=["dependency"])
    _critical_evidence(partnership)
    with pytest.raises(ValidationError) as exc:
        partnership_change_phase(partnership=partnership, to_phase="walk", actor=owner, reason="go")
    assert any("approval" in m for m in exc.value.messages)


def test_the_model_refuses_edits_and_deletes(partnership):
    from evidence.models import AppendOnlyError

    entry = log_evidence(partnership)
    entry.artifact = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        EvidenceEntry.objects.filter(pk=entry.pk).update(artifact="changed")
    with pytest.raises(AppendOnlyError):
        partnership.evidence_entries.all().delete()
    entry.refresh_from_db()
    assert entry.artifact != "changed"


def test_a_resubmitted_entry_is_logged_once(partnership):
    first = log_evidence(partnership, artifact="Same artifact")
    again = log_evidence(partnership, artifact="Same artifact")
    assert again.pk == first.pk
    assert EvidenceEntry.objects.count() == 1


def test_a_resubmitted_decision_is_recorded_once_and_emails_once(
    partnership, manager, approver, django_capture_on_commit_callbacks
):
    partnership.dependency = "critical"
    partnership.approver = approver
    partnership.save(update_fields=["dependency", "approver"])
    with django_capture_on_commit_callbacks(execute=True):
        first = decision_record(
            partnership=partnership, kind="unwind", rationale="Trigger fired", decided_by=manager
        )
        again = decision_record(
            partnership=partnership, kind="unwind", rationale="Trigger fired", decided_by=manager
        )
    assert again.pk == first.pk
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError) as exc:
        decision_record(
            partnership=partnership, kind="unwind", rationale="Other reason", decided_by=manager
        )
    assert "already awaiting approval" in exc.value.message_dict["kind"][0]
