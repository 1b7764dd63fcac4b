"""Trust signals: each part on its own, the score, the threshold, and the list by trust."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership
from tests.evidence.factories import log_evidence
from tests.factories import PartnerFactory

from .trustkit import clean_partnership, part, review, trust_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def good(org, owner, approver):
    """A partnership with nothing wrong: no flag, nothing missed."""
    return clean_partnership(org, owner, approver)


# --- evidence quality mix -------------------------------------------------------------


def test_evidence_quality_rises_from_anecdote_to_real_conditions(good):
    assert part(good.partner, "evidence") == 0
    log_evidence(good, quality="anecdote")
    assert part(good.partner, "evidence") == 0
    log_evidence(good, quality="real")
    assert part(good.partner, "evidence") == pytest.approx(12.5)
    log_evidence(good, quality="real")
    log_evidence(good, quality="real")
    assert part(good.partner, "evidence") == pytest.approx(25 * 9 / 12)  # (0 + 3 + 3 + 3) / 4 of 3


def test_a_corrected_entry_no_longer_counts_in_the_mix(good):
    wrong = log_evidence(good, quality="anecdote")
    log_evidence(
        good, quality="real", supersedes=wrong, correction_reason="It was a production run."
    )
    assert part(good.partner, "evidence") == pytest.approx(25)


# --- boundary status over the last cycles ----------------------------------------------


def test_a_recent_violation_costs_the_boundary_part(good):
    assert part(good.partner, "boundary") == 12  # nothing logged recently
    log_evidence(good, boundary="intact")
    assert part(good.partner, "boundary") == 20
    log_evidence(good, boundary="strained", days_ago=3)
    assert part(good.partner, "boundary") == 8
    log_evidence(good, boundary="violated", days_ago=5)
    assert part(good.partner, "boundary") == 0


def test_a_violation_older_than_four_cycles_is_forgiven(good):
    log_evidence(good, boundary="violated", days_ago=40)
    log_evidence(good, boundary="intact", days_ago=1)
    assert part(good.partner, "boundary") == 20


# --- health trend ----------------------------------------------------------------------


def test_health_counts_the_latest_level_and_its_trend(good):
    assert part(good.partner, "health") == 10  # not reviewed yet: the middle
    review(good, "green", weeks_ago=3)
    assert part(good.partner, "health") == 17  # green, nothing to compare
    review(good, "amber", weeks_ago=2)
    assert part(good.partner, "health") == 7  # amber, down from green
    review(good, "green", weeks_ago=1)
    assert part(good.partner, "health") == 20  # green, up from amber
    review(good, "red", weeks_ago=0)
    assert part(good.partner, "health") == 0  # red, down


# --- missed reviews (ghosting) --------------------------------------------------------


def test_missed_review_cycles_cost_the_ghosting_part(good, org, owner, approver):
    assert part(good.partner, "ghosting") == 15
    Partnership.objects.filter(pk=good.pk).update(missed_review_cycles=1)
    assert part(good.partner, "ghosting") == 8
    Partnership.objects.filter(pk=good.pk).update(missed_review_cycles=3)
    assert part(good.partner, "ghosting") == 0


def test_an_ended_partnership_is_not_ghosting(good, org, owner, approver):
    clean_partnership(org, owner, approver, partner=good.partner, status="ended")
    Partnership.objects.filter(partner=good.partner, status="ended").update(missed_review_cycles=5)
    assert part(good.partner, "ghosting") == 15


# --- open flags ------------------------------------------------------------------------


def test_open_flags_cost_their_share_of_live_partnerships(good, org, owner, approver):
    assert part(good.partner, "flags") == 10
    clean_partnership(org, owner, approver, partner=good.partner, exit_path="")  # flagged
    assert part(good.partner, "flags") == 5
    Partnership.objects.filter(partner=good.partner).update(status="ended")
    assert part(good.partner, "flags") == 5  # no live partnership: the middle


# --- time since the last evidence ------------------------------------------------------


@pytest.mark.parametrize(("days_ago", "points"), [(None, 0), (10, 10), (60, 5), (200, 0)])
def test_recency_decays_with_the_age_of_the_newest_evidence(good, days_ago, points):
    if days_ago is not None:
        log_evidence(good, days_ago=days_ago)
    assert part(good.partner, "recency") == points


# --- the score, the threshold, the words -----------------------------------------------


def test_the_score_is_the_sum_of_its_parts_and_explains_itself(good):
    log_evidence(good, quality="real")
    review(good, "green", weeks_ago=1)
    annotated, signal = trust_of(good.partner)
    assert signal.score == 25 + 20 + 17 + 15 + 10 + 10
    assert [p.key for p in signal.parts] == [
        "evidence",
        "boundary",
        "health",
        "ghosting",
        "flags",
        "recency",
    ]
    assert sum(p.max_points for p in signal.parts) == 100
    assert not signal.below
    assert "1 entries, on average real operating conditions" in signal.parts[0].detail


def test_a_partner_below_the_threshold_is_flagged_for_a_look(good):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        _annotated, signal = trust_of(good.partner, threshold=60)
    # no evidence, old enough to judge: 0 + 12 + 10 + 15 + 10 + 0
    assert signal.score == 47
    assert signal.below
    assert "below your threshold" in signal.summary


def test_a_brand_new_partner_without_evidence_is_not_judged(org, owner, approver):
    fresh = clean_partnership(org, owner, approver)
    _annotated, signal = trust_of(fresh.partner, threshold=90)
    assert signal.too_new and not signal.below


def test_the_partner_page_partial_shows_the_parts(good, viewer_client):
    log_evidence(good, quality="pilot")
    url = reverse("programs:partner_trust", kwargs={"partner_uuid": good.partner.uuid})
    response = viewer_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="trust-panel"' in body
    assert "Evidence quality" in body and "Missed reviews" in body


# --- the list sorted and filtered by trust, in constant queries ------------------------


def _grow(org, owner, approver, count, start=0):
    for n in range(start, start + count):
        partner = PartnerFactory(organization=org, name=f"Partner {n:03d}")
        p = clean_partnership(
            org,
            owner,
            approver,
            partner=partner,
            missed_review_cycles=n % 3,
            exit_path="x" * (n % 2),
        )
        log_evidence(p, quality=["anecdote", "demo", "pilot", "real"][n % 4], days_ago=n % 100)
        if n % 2:
            review(p, ["green", "amber", "red"][n % 3], weeks_ago=1)


def test_the_list_sorts_and_filters_by_trust(org, owner, approver, manager_client):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60)):
        _grow(org, owner, approver, 8)
    response = manager_client.get(reverse("programs:trust") + "?sort=trust")
    scores = [p.trust.score for p in response.context["page"].object_list]
    assert scores == sorted(scores)
    response = manager_client.get(reverse("programs:trust") + "?sort=-trust")
    assert [p.trust.score for p in response.context["page"].object_list] == sorted(
        scores, reverse=True
    )
    below = manager_client.get(reverse("programs:trust") + "?below=on&sort=-trust")
    shown = [p.trust for p in below.context["page"].object_list]
    assert shown and all(t.below for t in shown)
    assert len(shown) == sum(1 for s in scores if s < 50)


@pytest.mark.parametrize("query", ["", "?sort=-trust", "?below=on&sort=trust&q=Partner"])
def test_the_trust_list_queries_do_not_grow(
    org, owner, approver, manager_client, django_assert_num_queries, query
):
    url = reverse("programs:trust") + query
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60)):
        _grow(org, owner, approver, 5)
    baseline = _count(manager_client, url)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60)):
        _grow(org, owner, approver, 45, start=5)
    with django_assert_num_queries(baseline):
        manager_client.get(url)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)
