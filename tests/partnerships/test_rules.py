import datetime

import pytest

from partnerships.models import Leverage, Partnership, Phase, Status
from partnerships.rules import (
    flagged_q,
    is_handshake,
    leverage_advice,
    loses_nothing,
    partnership_flags,
    phase_time_box,
    too_many_tiers,
)
from tests.factories import PartnershipFactory

from .conftest import weeks_ago


@pytest.mark.parametrize("text", ["", "  ", "nothing", "Nothing.", "none", "N/A", "n/a", "-", "no"])
def test_answers_that_amount_to_nothing(text):
    assert loses_nothing(text)


@pytest.mark.parametrize(
    "text", ["Six months of roadmap", "A €2M volume commitment", "nothing much"]
)
def test_concrete_losses_are_not_nothing(text):
    assert not loses_nothing(text)


def test_handshake_when_neither_side_loses_anything():
    assert is_handshake(we_lose="nothing", partner_loses="")


def test_not_a_handshake_when_one_side_has_skin_in_the_game():
    assert not is_handshake(we_lose="nothing", partner_loses="A committed 2M volume")


@pytest.mark.parametrize(
    ("leverage", "level"),
    [
        (Leverage.REQUIREMENT, "full"),
        (Leverage.ECONOMIC, "full"),
        (Leverage.COMPETITIVE, "light"),
        (Leverage.CUSTOMER, "light"),
        (Leverage.CO_MARKETING, "dont"),
    ],
)
def test_leverage_advice_follows_the_seed_hierarchy(leverage, level):
    assert leverage_advice(leverage).level == level


def test_crawl_is_overdue_after_eight_weeks():
    today = datetime.date(2026, 6, 1)
    box = phase_time_box(
        phase=Phase.CRAWL, started_on=today - datetime.timedelta(weeks=9), today=today
    )
    assert box.overdue
    assert box.weeks_elapsed == 9
    assert box.label == "4–8 weeks"


def test_walk_within_twelve_weeks_is_not_overdue():
    today = datetime.date(2026, 6, 1)
    box = phase_time_box(
        phase=Phase.WALK, started_on=today - datetime.timedelta(weeks=12), today=today
    )
    assert not box.overdue
    assert box.ends_on == today


def _codes(p, today):
    return {f.code for f in partnership_flags(p, today=today)}


def test_a_well_formed_partnership_carries_no_flags(partnership, today):
    assert _codes(partnership, today) == set()


def test_each_anti_pattern_is_flagged(org, manager, today):
    p = PartnershipFactory.build(
        organization=org,
        owner=manager,
        we_lose="nothing",
        partner_loses="none",
        leverage=Leverage.CO_MARKETING,
        exit_path="",
        unwind_condition="",
        phase=Phase.WALK,
        phase_started_on=weeks_ago(13),
        launched_on=weeks_ago(13),
        missed_review_cycles=2,
        integration_pathway="",
    )
    assert _codes(p, today) == {
        "handshake",
        "vanity",
        "no_exit_path",
        "no_unwind_criteria",
        "ghosting",
        "no_integration_pathway",
        "phase_overdue",
    }


def test_missed_reviews_before_launch_are_not_ghosting(partnership, today):
    partnership.missed_review_cycles = 3
    assert "ghosting" not in _codes(partnership, today)


def test_ghosting_after_two_missed_cycles_after_launch(partnership, today):
    partnership.phase = Phase.WALK
    partnership.launched_on = today
    partnership.missed_review_cycles = 1
    assert "ghosting" not in _codes(partnership, today)
    partnership.missed_review_cycles = 2
    assert "ghosting" in _codes(partnership, today)


def test_ended_partnerships_are_not_flagged(partnership, today):
    partnership.exit_path = ""
    partnership.status = Status.ENDED
    assert partnership_flags(partnership, today=today) == []


def test_too_many_tiers_only_beyond_the_organizations_limit():
    assert too_many_tiers(tiers_in_use=3, max_tiers=3) is None
    assert too_many_tiers(tiers_in_use=3, max_tiers=2).code == "too_many_tiers"


def test_database_filter_agrees_with_the_flag_rules(org, manager, approver, today):
    variants = [
        {},
        {"we_lose": "nothing", "partner_loses": "N/A"},
        {"we_lose": "nothing", "partner_loses": "Their volume"},
        {"leverage": Leverage.CO_MARKETING},
        {"exit_path": "  "},
        {"unwind_condition": ""},
        {"unwind_authorizer": None},
        {"phase": Phase.WALK, "launched_on": today, "missed_review_cycles": 2},
        {"phase": Phase.WALK, "launched_on": today, "integration_pathway": ""},
        {"phase": Phase.CRAWL, "phase_started_on": weeks_ago(9)},
        {"phase": Phase.RUN, "launched_on": weeks_ago(60), "phase_started_on": weeks_ago(30)},
        {"status": Status.ENDED, "exit_path": ""},
        {"missed_review_cycles": 5},
    ]
    for n, extra in enumerate(variants):
        fields = {
            "organization": org,
            "owner": manager,
            "unwind_authorizer": approver,
            "integration_pathway": "Docs",
            "name": f"Variant {n}",
            **extra,
        }
        PartnershipFactory(**fields)
    flagged_in_db = set(Partnership.objects.filter(flagged_q(today)).values_list("pk", flat=True))
    flagged_in_python = {
        p.pk for p in Partnership.objects.all() if partnership_flags(p, today=today)
    }
    assert flagged_in_db == flagged_in_python
    assert len(flagged_in_db) == 8


def test_a_passed_deferral_date_is_flagged_at_once_and_in_the_database_filter(partnership, today):
    partnership.deferral_date = today
    partnership.save()
    assert "deferral_passed" not in _codes(partnership, today)  # today has not yet passed
    assert not Partnership.objects.filter(flagged_q(today), pk=partnership.pk).exists()
    tomorrow = today + datetime.timedelta(days=1)
    assert "deferral_passed" in _codes(partnership, tomorrow)
    assert Partnership.objects.filter(flagged_q(tomorrow), pk=partnership.pk).exists()
    partnership.status = Status.DEFERRED  # already deferred: nothing left to act on
    partnership.save()
    assert "deferral_passed" not in _codes(partnership, tomorrow)
    assert not Partnership.objects.filter(flagged_q(tomorrow), pk=partnership.pk).exists()
