import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.sufficiency import cycle_start, evidence_sufficiency_gate, sufficiency_missing
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(org, owner):
    def make(dependency):
        return PartnershipFactory(organization=org, owner=owner, dependency=dependency)

    return make


def test_low_needs_one_pilot_or_better(make):
    p = make("low")
    log_evidence(p, quality="demo")
    assert sufficiency_missing(partnership=p) == [
        "1 entry of quality pilot or better (low dependency needs 1; 0 chosen)."
    ]
    log_evidence(p, quality="pilot")
    assert sufficiency_missing(partnership=p) == []


def test_medium_needs_two_on_different_dates(make):
    p = make("medium")
    log_evidence(p, quality="pilot", days_ago=3)
    log_evidence(p, quality="real", days_ago=3)
    (missing,) = sufficiency_missing(partnership=p)
    assert "different date" in missing and "1 more entry" in missing
    log_evidence(p, quality="pilot", days_ago=4)
    assert sufficiency_missing(partnership=p) == []


def test_critical_needs_three_real_across_two_cycles(make):
    p = make("critical")
    for _ in range(3):
        log_evidence(p, quality="real", days_ago=0)
    log_evidence(p, quality="pilot", days_ago=20)
    (missing,) = sufficiency_missing(partnership=p)
    assert "2 review cycles" in missing
    log_evidence(p, quality="real", days_ago=14)
    assert sufficiency_missing(partnership=p) == []


def test_critical_counts_only_real_conditions(make):
    p = make("critical")
    for days in (1, 9, 20):
        log_evidence(p, quality="pilot", days_ago=days)
    missing = sufficiency_missing(partnership=p)
    assert any("3 more entries" in m for m in missing)


def test_critical_blocked_by_a_violation_in_the_last_cycle(make):
    p = make("critical")
    for days in (1, 2, 15):
        log_evidence(p, quality="real", days_ago=days)
    log_evidence(p, quality="anecdote", boundary="violated", days_ago=3)
    (missing,) = sufficiency_missing(partnership=p)
    assert "violation" in missing


def test_old_violation_does_not_block(make):
    p = make("critical")
    for days in (1, 2, 15):
        log_evidence(p, quality="real", days_ago=days)
    log_evidence(p, quality="real", boundary="violated", days_ago=60)
    assert sufficiency_missing(partnership=p) == []


def test_superseded_entries_do_not_count(make):
    p = make("low")
    wrong = log_evidence(p, quality="pilot")
    log_evidence(p, quality="anecdote", supersedes=wrong, correction_reason="Only a call.")
    assert sufficiency_missing(partnership=p)


def test_only_chosen_evidence_counts(make):
    p = make("low")
    log_evidence(p, quality="real")
    anecdote = log_evidence(p, quality="anecdote")
    assert sufficiency_missing(partnership=p, entries=[anecdote])
    assert not sufficiency_missing(partnership=p)


def test_cycles_follow_the_organizations_review_weekday():
    wednesday = datetime.date(2026, 11, 18)
    assert cycle_start(wednesday, 0) == datetime.date(2026, 11, 16)
    assert cycle_start(wednesday, 2) == wednesday
    assert cycle_start(wednesday, 3) == datetime.date(2026, 11, 12)


def test_gate_ignores_moving_back_and_crawl(make):
    p = make("critical")
    p.phase = "walk"
    assert evidence_sufficiency_gate(p, "crawl") == []
    assert evidence_sufficiency_gate(p, "walk") == []
    assert evidence_sufficiency_gate(p, "run")


def test_verify_evidence_command_reports_intact_chain(make, capsys):
    p = make("low")
    log_evidence(p)
    call_command("verify_evidence")
    assert "northwind: intact (1 entries)" in capsys.readouterr().out


def test_partnership_panel_shows_what_is_missing(owner_client, make):
    p = make("low")
    log_evidence(p, quality="anecdote", artifact="Heard on a call")
    response = owner_client.get(
        reverse("partnerships:partnership_detail", kwargs={"partnership_uuid": p.uuid})
    )
    assert response.status_code == 200
    assert b"Heard on a call" in response.content
    assert b"pilot or better" in response.content


def test_trend_chart_plots_months_with_evidence(viewer_client, make):
    p = make("medium")
    log_evidence(p, quality="real", days_ago=5)
    log_evidence(p, quality="anecdote", boundary="violated", days_ago=70)
    response = viewer_client.get(reverse("evidence:partnership_log", kwargs={"uuid": p.uuid}))
    assert b'class="trend-chart"' in response.content
    assert b"chart-violated" in response.content
    assert b"mean quality 3.0 of 3" in response.content


def test_large_log_badge_uses_the_last_full_check_and_extends_it(make, viewer_client, monkeypatch):
    from django.core.cache import cache

    from evidence import selectors
    from evidence.tasks import verify_evidence_chains

    p = make("low")
    log_evidence(p)
    log_evidence(p)
    monkeypatch.setattr(selectors, "INLINE_VERIFY_LIMIT", 1)
    cache.delete(selectors.chain_cache_key(p.organization))
    assert b"Chain not verified yet" in viewer_client.get(reverse("evidence:log")).content
    verify_evidence_chains()
    log_evidence(p)  # appended after the full check: verified incrementally
    content = viewer_client.get(reverse("evidence:log")).content
    assert b"Chain intact" in content and b"3 entries verified" in content


def test_cached_summary_follows_new_evidence(make, viewer_client):
    p = make("low")
    url = reverse("evidence:partnership_log", kwargs={"uuid": p.uuid})
    log_evidence(p, quality="anecdote")
    assert b"Not yet. Missing" in viewer_client.get(url).content
    log_evidence(p, quality="pilot")
    assert b"Not yet. Missing" not in viewer_client.get(url).content


def test_dashboard_lists_decisions_awaiting_my_approval(make, manager, approver, client):
    from evidence.services import decision_record

    p = make("critical")
    p.approver = approver
    p.save(update_fields=["approver"])
    decision_record(partnership=p, kind="unwind", rationale="Trigger fired", decided_by=manager)
    client.force_login(approver)
    response = client.get(reverse("dashboard"))
    assert b"Decisions awaiting your approval" in response.content
    client.force_login(manager)
    assert b"Decisions awaiting your approval" not in client.get(reverse("dashboard")).content
